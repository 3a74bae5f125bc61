/*
 * cmd.h - the subcommands, one cmd_<name>() per file, dispatched by main.c.
 * Each returns the process exit status.
 */
#ifndef PG_CMD_H
#define PG_CMD_H

int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_post(int argc, char **argv);
int cmd_bisect(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_noise(int argc, char **argv);
int cmd_changes(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_pull(int argc, char **argv);
int cmd_push(int argc, char **argv);
int cmd_merge(int argc, char **argv);

#endif
