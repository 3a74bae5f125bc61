/*
 * repo.c - libgit2 behind a small interface (see repo.h).
 */
#include "repo.h"
#include "repo_git.h"
#include "buf.h"
#include "error.h"
#include "utf8.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *pg_repo_git_msg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}
#define git_msg pg_repo_git_msg

/* Why `path` could not be opened.  libgit2 refuses a repository owned by
 * another user unless git's safe.directory lists it (its message then
 * names safe.directory, not the owner): that case says what to run. */
static int open_error(const char *path)
{
	char *why = pg_strdup(git_msg());
	git_buf gitdir = { 0 };
	pg_buf dir = PG_BUF_INIT;
	struct stat st;
	int err;
	if (git_repository_discover(&gitdir, path, 0, NULL) < 0) {
		err = pg_error_set(PG_ERUNTIME, "%s: not inside a git repository (run perfgate in one, "
				   "or `git init` and commit first)", path);
		goto out;
	}
	/* the work tree is what git's safe.directory names */
	pg_buf_puts(&dir, gitdir.ptr);
	if (dir.len > 6 && !strcmp(dir.ptr + dir.len - 6, "/.git/"))
		pg_buf_truncate(&dir, dir.len - 6);
	else if (dir.len > 1 && dir.ptr[dir.len - 1] == '/')
		pg_buf_truncate(&dir, dir.len - 1);
	if (stat(dir.ptr, &st) == 0 && st.st_uid != geteuid())
		err = pg_error_set(PG_ERUNTIME, "%s: the repository %s belongs to another user (uid %lu) "
				   "and git does not trust it (%s); if you trust it, run `git config "
				   "--global --add safe.directory %s`", path, dir.ptr,
				   (unsigned long)st.st_uid, why, dir.ptr);
	else
		err = pg_error_set(PG_ERUNTIME, "%s: cannot open the git repository %s: %s", path,
				   dir.ptr, why);
out:
	git_buf_dispose(&gitdir);
	pg_buf_free(&dir);
	free(why);
	return err;
}

int pg_repo_open(pg_repo **out, const char *path)
{
	git_repository *git = NULL;
	*out = NULL;
	git_libgit2_init();
	if (git_repository_open_ext(&git, path, 0, NULL) < 0) {
		int err = open_error(path);
		git_libgit2_shutdown();
		return err;
	}
	if (git_repository_is_bare(git)) {
		git_repository_free(git);
		git_libgit2_shutdown();
		return pg_error_set(PG_ERUNTIME, "%s: bare repository; perfgate needs a work tree",
				    path);
	}
	pg_repo *r = pg_calloc(1, sizeof(*r));
	r->git = git;
	r->workdir = pg_strdup(git_repository_workdir(git));
	*out = r;
	return 0;
}

void pg_repo_free(pg_repo *repo)
{
	if (!repo)
		return;
	git_repository_free(repo->git);
	free(repo->workdir);
	free(repo);
	git_libgit2_shutdown();
}

const char *pg_repo_workdir(const pg_repo *repo)
{
	return repo->workdir;
}

int pg_repo_is_shallow(const pg_repo *repo)
{
	return git_repository_is_shallow(repo->git) == 1;
}

static void oid_str(char sha[PG_SHA_LEN + 1], const git_oid *oid)
{
	git_oid_tostr(sha, PG_SHA_LEN + 1, oid);
}

int pg_repo_head(pg_repo *repo, char sha[PG_SHA_LEN + 1])
{
	git_oid oid;
	if (git_reference_name_to_id(&oid, repo->git, "HEAD") < 0)
		return pg_error_set(PG_ERUNTIME,
				    "HEAD does not point at a commit (is the repository empty? "
				    "commit something first)");
	oid_str(sha, &oid);
	return 0;
}

char *pg_repo_branch(pg_repo *repo)
{
	git_reference *head = NULL;
	char *name = NULL;
	if (git_repository_head_detached(repo->git) == 1)
		return NULL;
	if (git_repository_head(&head, repo->git) == 0 && git_reference_is_branch(head)) {
		/* git allows any bytes above 0x7f in a branch name: repaired,
		 * it can be stored in a results document */
		pg_buf b = PG_BUF_INIT;
		pg_utf8_repair(&b, git_reference_shorthand(head));
		name = pg_buf_detach(&b);
	}
	git_reference_free(head);
	return name;
}

int pg_repo_is_dirty(pg_repo *repo, int *dirty)
{
	git_status_options opts;
	git_status_list *list = NULL;
	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, repo->git, &opts) < 0)
		return pg_error_set(PG_ERUNTIME, "cannot read the work tree status: %s", git_msg());
	*dirty = git_status_list_entrycount(list) > 0;
	git_status_list_free(list);
	return 0;
}

int pg_repo_resolve(pg_repo *repo, const char *rev, char sha[PG_SHA_LEN + 1])
{
	git_object *obj = NULL, *commit = NULL;
	int err = 0;
	if (git_revparse_single(&obj, repo->git, rev) < 0)
		return pg_error_set(PG_ENOTFOUND, "unknown revision '%s'", rev);
	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0)
		err = pg_error_set(PG_ENOTFOUND, "revision '%s' is not a commit", rev);
	else
		oid_str(sha, git_object_id(commit));
	git_object_free(commit);
	git_object_free(obj);
	return err;
}

int pg_repo_resolve_branch(pg_repo *repo, const char *branch, char sha[PG_SHA_LEN + 1])
{
	pg_buf remote = PG_BUF_INIT;
	if (pg_repo_resolve(repo, branch, sha) == 0)
		return 0;
	pg_buf_printf(&remote, "origin/%s", branch);
	int err = pg_repo_resolve(repo, remote.ptr, sha);
	pg_buf_free(&remote);
	if (err < 0)
		return pg_error_set(PG_ENOTFOUND,
				    "base branch '%s' not found, nor origin/%s (fetch it, e.g. "
				    "`git fetch origin %s`, or pass --base REV)", branch, branch, branch);
	return 0;
}

int pg_repo_merge_base(pg_repo *repo, const char *a, const char *b, char sha[PG_SHA_LEN + 1])
{
	git_oid oa, ob, base;
	if (git_oid_fromstr(&oa, a) < 0 || git_oid_fromstr(&ob, b) < 0)
		return pg_error_set(PG_ERUNTIME, "invalid commit id");
	int rc = git_merge_base(&base, repo->git, &oa, &ob);
	/* in a shallow clone the walk meets a parent that is not there
	 * ("object not found"), or the cut hides the common ancestor */
	if (rc < 0 && pg_repo_is_shallow(repo))
		return pg_error_set(PG_ERUNTIME, "the base branch is not in this shallow clone's history: "
				    "fetch it (actions/checkout with fetch-depth: 0, or git fetch "
				    "--unshallow)");
	if (rc == GIT_ENOTFOUND)
		return pg_error_set(PG_ENOTFOUND, "%.12s and %.12s have no common ancestor", a, b);
	if (rc < 0)
		return pg_error_set(PG_ERUNTIME, "cannot compute merge base: %s", git_msg());
	oid_str(sha, &base);
	return 0;
}

int pg_repo_is_ancestor(pg_repo *repo, const char *ancestor, const char *of)
{
	git_oid a, b;
	if (git_oid_fromstr(&a, ancestor) < 0 || git_oid_fromstr(&b, of) < 0)
		return 0;
	if (git_oid_equal(&a, &b))
		return 1;
	return git_graph_descendant_of(repo->git, &b, &a) == 1;
}

int pg_repo_walk_first_parent(pg_repo *repo, const char *start, size_t max, pg_walk_fn fn,
			      void *payload, int *truncated)
{
	git_oid oid;
	git_commit *commit = NULL;
	char sha[PG_SHA_LEN + 1];
	int rc = 0;
	*truncated = 0;
	if (git_oid_fromstr(&oid, start) < 0)
		return pg_error_set(PG_ERUNTIME, "invalid commit id '%s'", start);
	for (size_t n = 0; n < max; n++) {
		if (git_commit_lookup(&commit, repo->git, &oid) < 0) {
			/* A parent named by a commit but absent: the history was
			 * cut here (shallow clone, or a grafted repository). */
			*truncated = 1;
			break;
		}
		oid_str(sha, &oid);
		if ((rc = fn(sha, payload)) != 0)
			break;
		if (git_commit_parentcount(commit) == 0)
			break;
		git_oid_cpy(&oid, git_commit_parent_id(commit, 0));
		git_commit_free(commit);
		commit = NULL;
	}
	git_commit_free(commit);
	return rc;
}

/* Appends commit text, which is bytes in the commit's encoding (its
 * "encoding" header, from git's i18n.commitEncoding; UTF-8 when absent), as
 * UTF-8: ISO-8859-1 is converted (its C1 controls as U+FFFD), anything else
 * that is not valid UTF-8 repaired, so a subject or an author can go into
 * JSON, XML and a terminal. */
static void commit_text(pg_buf *out, const char *s, const char *encoding)
{
	static const char *const latin1[] = { "ISO-8859-1", "ISO8859-1", "latin1", "latin-1", NULL };
	const char *const *e = latin1;
	while (encoding && *e && strcasecmp(*e, encoding))
		e++;
	if (!encoding || !*e || pg_utf8_valid(s)) {
		pg_utf8_repair(out, s);
		return;
	}
	pg_utf8_from_latin1(out, s);
}

int pg_repo_commit_info(pg_repo *repo, const char *sha, pg_commit_info *info)
{
	git_oid oid;
	git_commit *c = NULL;
	pg_buf subject = PG_BUF_INIT, author = PG_BUF_INIT;
	memset(info, 0, sizeof(*info));
	if (git_oid_fromstr(&oid, sha) < 0 || git_commit_lookup(&c, repo->git, &oid) < 0)
		return pg_error_set(PG_ENOTFOUND, "commit %.12s not found", sha);
	const char *summary = git_commit_summary(c), *encoding = git_commit_message_encoding(c);
	const git_signature *sig = git_commit_author(c);
	commit_text(&subject, summary ? summary : "", encoding);
	info->subject = pg_buf_detach(&subject);
	commit_text(&author, sig->name, encoding);
	pg_buf_puts(&author, " <");
	commit_text(&author, sig->email, encoding);
	pg_buf_putc(&author, '>');
	info->author = pg_buf_detach(&author);
	info->time = (int64_t)git_commit_time(c);
	git_commit_free(c);
	return 0;
}

void pg_commit_info_free(pg_commit_info *info)
{
	free(info->subject);
	free(info->author);
	memset(info, 0, sizeof(*info));
}

int pg_repo_read_file(pg_repo *repo, const char *sha, const char *path, pg_buf *out)
{
	git_oid oid;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	int err = 0;
	if (git_oid_fromstr(&oid, sha) < 0 || git_commit_lookup(&commit, repo->git, &oid) < 0 ||
	    git_commit_tree(&tree, commit) < 0) {
		err = pg_error_set(PG_ERUNTIME, "cannot read commit %.12s: %s", sha, git_msg());
		goto out;
	}
	int rc = git_tree_entry_bypath(&entry, tree, path);
	if (rc == GIT_ENOTFOUND) {
		err = pg_error_set(PG_ENOTFOUND, "%.12s has no %s", sha, path);
		goto out;
	}
	if (rc < 0) {
		err = pg_error_set(PG_ERUNTIME, "cannot read %s at %.12s: %s", path, sha, git_msg());
		goto out;
	}
	git_filemode_t mode = git_tree_entry_filemode(entry);
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
		err = pg_error_set(PG_ENOTFOUND, "%s at %.12s is not a regular file", path, sha);
		goto out;
	}
	if (git_blob_lookup(&blob, repo->git, git_tree_entry_id(entry)) < 0) {
		err = pg_error_set(PG_ERUNTIME, "cannot read %s at %.12s: %s", path, sha, git_msg());
		goto out;
	}
	pg_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
out:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return err;
}

int pg_repo_checkout_to(pg_repo *repo, const char *sha, const char *dir)
{
	git_oid oid;
	git_commit *commit = NULL;
	git_checkout_options opts;
	int err = 0;
	git_checkout_options_init(&opts, GIT_CHECKOUT_OPTIONS_VERSION);
	/* FORCE into an empty directory writes every file; DONT_UPDATE_INDEX
	 * keeps the repository's index exactly as the user left it. */
	opts.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX |
				 GIT_CHECKOUT_RECREATE_MISSING;
	opts.target_directory = dir;
	if (git_oid_fromstr(&oid, sha) < 0 || git_commit_lookup(&commit, repo->git, &oid) < 0)
		return pg_error_set(PG_ENOTFOUND, "commit %.12s not found", sha);
	if (git_checkout_tree(repo->git, (git_object *)commit, &opts) < 0)
		err = pg_error_set(PG_ERUNTIME, "cannot check out %.12s into %s: %s", sha, dir,
				   git_msg());
	git_commit_free(commit);
	return err;
}

static void push_sha(char ***v, size_t *n, size_t *alloc, const git_oid *oid)
{
	char sha[PG_SHA_LEN + 1];
	oid_str(sha, oid);
	*v = pg_array_grow(*v, alloc, *n + 1, sizeof(**v));
	(*v)[(*n)++] = pg_strdup(sha);
}

int pg_repo_range(pg_repo *repo, const char *good, const char *bad, int all_parents,
		  char ***shas, size_t *n)
{
	git_revwalk *walk = NULL;
	git_oid g, b, oid;
	size_t alloc = 0;
	int err = 0;
	*shas = NULL;
	*n = 0;
	if (git_oid_fromstr(&g, good) < 0 || git_oid_fromstr(&b, bad) < 0)
		return pg_error_set(PG_ERUNTIME, "invalid commit id");
	if (git_revwalk_new(&walk, repo->git) < 0 || git_revwalk_push(walk, &b) < 0 ||
	    git_revwalk_hide(walk, &g) < 0) {
		err = pg_error_set(PG_ERUNTIME, "cannot walk the history: %s", git_msg());
		goto out;
	}
	/* newest first, parents after children */
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL);
	if (!all_parents)
		git_revwalk_simplify_first_parent(walk);
	while (git_revwalk_next(&oid, walk) == 0)
		push_sha(shas, n, &alloc, &oid);
	/* oldest first */
	for (size_t i = 0; i < *n / 2; i++) {
		char *t = (*shas)[i];
		(*shas)[i] = (*shas)[*n - 1 - i];
		(*shas)[*n - 1 - i] = t;
	}
out:
	git_revwalk_free(walk);
	return err;
}

int pg_repo_note_read(pg_repo *repo, const char *ref, const char *sha, pg_buf *out)
{
	git_oid oid;
	git_note *note = NULL;
	if (git_oid_fromstr(&oid, sha) < 0)
		return pg_error_set(PG_ERUNTIME, "invalid commit id '%s'", sha);
	int rc = git_note_read(&note, repo->git, ref, &oid);
	if (rc == GIT_ENOTFOUND)
		return PG_ENOTFOUND;
	if (rc < 0)
		return pg_error_set(PG_ERUNTIME, "cannot read the %s note of %.12s: %s", ref, sha,
				    git_msg());
	const char *msg = git_note_message(note);
	pg_buf_puts(out, msg ? msg : "");
	git_note_free(note);
	return 0;
}

/* The notes ref's tip; *exists = 0 when there is no such ref yet. */
static int notes_tip(pg_repo *repo, const char *ref, git_oid *tip, git_commit **commit,
		     int *exists)
{
	int rc = git_reference_name_to_id(tip, repo->git, ref);
	*commit = NULL;
	*exists = rc == 0;
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0 || git_commit_lookup(commit, repo->git, tip) < 0)
		return pg_error_set(PG_ERUNTIME, "cannot read %s: %s", ref, git_msg());
	return 0;
}

/* The note on `oid` in notes commit `tip` (none: NULL tip or no note),
 * appended to `out`; *found says whether there was one. */
static int note_at(pg_repo *repo, const char *ref, git_commit *tip, const git_oid *oid,
		   pg_buf *out, int *found)
{
	git_note *note = NULL;
	int rc = tip ? git_note_commit_read(&note, repo->git, tip, oid) : GIT_ENOTFOUND;
	*found = rc == 0;
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return pg_error_set(PG_ERUNTIME, "cannot read a note in %s: %s", ref, git_msg());
	const char *msg = git_note_message(note);
	pg_buf_puts(out, msg ? msg : "");
	git_note_free(note);
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Sleeps 1 ms to 2^attempt ms (at most 64 ms), at random, so writers that
 * collided do not collide again in lockstep. */
static void backoff(unsigned *seed, int attempt)
{
	long cap = 1L << (attempt < 6 ? attempt : 6);
	long ms = 1 + (long)(rand_r(seed) % cap);
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* One attempt: read the tip and the note, let `fn` edit, commit on top of
 * the tip, move the ref only if it is still the tip.  Returns 0, a
 * negative PG_E* code, or a positive libgit2 code (negated) when another
 * writer got there first and the caller should retry. */
static int note_edit_once(pg_repo *repo, const char *ref, const git_oid *oid,
			  const git_signature *sig, pg_note_edit_fn fn, void *payload)
{
	git_oid tip, created;
	git_commit *parent = NULL;
	git_reference *moved = NULL;
	pg_buf old = PG_BUF_INIT, text = PG_BUF_INIT;
	int exists, found, err, rc;
	if ((err = notes_tip(repo, ref, &tip, &parent, &exists)) < 0 ||
	    (err = note_at(repo, ref, parent, oid, &old, &found)) < 0 ||
	    (err = fn(found ? old.ptr : NULL, &text, payload)) < 0)
		goto out;
	if (git_note_commit_create(&created, NULL, repo->git, parent, sig, sig, oid, text.ptr, 1) < 0) {
		err = pg_error_set(PG_ERUNTIME, "cannot make a commit for %s: %s", ref, git_msg());
		goto out;
	}
	/* compare-and-swap under the ref's lock: only if nobody moved the ref
	 * since we read it.  A ref that did not exist is created against the
	 * zero id, which libgit2 compares under the lock ("must not exist");
	 * git_reference_create(force 0) checks existence before locking, so
	 * two first writers could both "create" it and one run was lost. */
	if (!exists)
		memset(&tip, 0, sizeof(tip));
	rc = git_reference_create_matching(&moved, repo->git, ref, &created, 1, &tip,
					   "perfgate: add a run");
	if (rc == GIT_EMODIFIED || rc == GIT_ELOCKED || rc == GIT_EEXISTS)
		err = -rc; /* positive: retry */
	else if (rc < 0)
		err = pg_error_set(PG_ERUNTIME, "cannot update %s: %s", ref, git_msg());
out:
	git_reference_free(moved);
	git_commit_free(parent);
	pg_buf_free(&old);
	pg_buf_free(&text);
	return err;
}

int pg_repo_note_edit(pg_repo *repo, const char *ref, const char *sha, pg_note_edit_fn fn,
		      void *payload)
{
	git_oid oid;
	git_signature *sig = NULL;
	struct timespec t0;
	unsigned seed;
	int err = 0, attempt;
	if (git_oid_fromstr(&oid, sha) < 0)
		return pg_error_set(PG_ERUNTIME, "invalid commit id '%s'", sha);
	if (git_signature_default(&sig, repo->git) < 0 &&
	    git_signature_now(&sig, "perfgate", "perfgate@localhost") < 0)
		return pg_error_set(PG_ERUNTIME, "cannot make a signature for the note: %s", git_msg());
	clock_gettime(CLOCK_MONOTONIC, &t0);
	seed = (unsigned)getpid() ^ (unsigned)t0.tv_nsec;
	for (attempt = 0; attempt < PG_NOTE_ATTEMPTS; attempt++) {
		if ((err = note_edit_once(repo, ref, &oid, sig, fn, payload)) <= 0 ||
		    seconds_since(&t0) >= PG_NOTE_PATIENCE)
			break;
		backoff(&seed, attempt);
	}
	if (err > 0)
		err = pg_error_set(PG_ERUNTIME,
				   "cannot write the %s note of %.12s: other writers kept moving or "
				   "locking the ref (%d attempts in %.0f s); if no git or perfgate "
				   "is running, remove a stale %s.lock in the .git directory, then "
				   "run again", ref, sha, attempt + 1, seconds_since(&t0), ref);
	git_signature_free(sig);
	return err;
}
