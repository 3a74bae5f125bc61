/*
 * notes_sync.c - `perfgate pull` / `perfgate push`: the notes store shared
 * through a git remote with libgit2's transports (see notes_sync.h).
 */
#include "notes_sync.h"
#include "buf.h"
#include "error.h"
#include "fsutil.h"
#include "repo_git.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define git_msg pg_repo_git_msg

typedef struct sync_ctx {
	pg_repo *repo;
	const char *ref;
	const pg_sync_opts *o;
	git_remote *remote;
	char *url;              /* the remote's URL (for the token's host check) */
	char *tls_host;         /* the host of the latest TLS connection */
	int cred_calls;
	char *rejected;         /* a push status message from the remote */
	git_signature *sig;
	unsigned seed;
} sync_ctx;

/* "host[:port]" of an https:// URL into `out`; 0 when it is not one. */
static int https_authority(const char *url, pg_buf *out)
{
	if (strncasecmp(url, "https://", 8))
		return 0;
	const char *p = url + 8, *end = p + strcspn(p, "/?#");
	const char *at = memchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	pg_buf_put(out, p, (size_t)(end - p));
	return out->len > 0;
}

/* Records the host of each TLS connection libgit2 makes and leaves the
 * verdict on its certificate to libgit2.  libgit2 1.5 hands the
 * credentials callback the remote's original URL even after following a
 * redirect, so this is how `credentials` learns which host is asking. */
static int certificate_check(git_cert *cert, int valid, const char *host, void *payload)
{
	sync_ctx *s = payload;
	(void)cert;
	(void)valid;
	free(s->tls_host);
	s->tls_host = host ? pg_strdup(host) : NULL;
	return GIT_PASSTHROUGH;
}

/* Whether `authority` ("host" or "host:port") names `host`. */
static int same_host(const char *authority, const char *host)
{
	size_t n = strlen(host);
	if (authority[0] == '[') /* "[::1]:443": the host in brackets */
		return !strncasecmp(authority + 1, host, n) && authority[1 + n] == ']';
	return !strncasecmp(authority, host, n) && (authority[n] == '\0' || authority[n] == ':');
}

/* Credentials: the token, only over https, only to token_host (by the URL
 * and by the TLS connection that asks: a redirect to another host gets
 * nothing), and only once (a refused token is not offered again). */
static int credentials(git_credential **out, const char *url, const char *user,
		       unsigned int allowed, void *payload)
{
	sync_ctx *s = payload;
	pg_buf host = PG_BUF_INIT;
	int rc = GIT_PASSTHROUGH;
	if (s->cred_calls++ > 0) {
		git_error_set_str(GIT_ERROR_NET, "the remote refused the credentials");
		return GIT_EAUTH;
	}
	if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && s->o->token && s->o->token_host &&
	    https_authority(url, &host) && !strcasecmp(host.ptr, s->o->token_host) &&
	    s->tls_host && same_host(s->o->token_host, s->tls_host))
		rc = git_credential_userpass_plaintext_new(out, "x-access-token", s->o->token);
	else if (allowed & GIT_CREDENTIAL_SSH_KEY)
		rc = git_credential_ssh_key_from_agent(out, user ? user : "git");
	pg_buf_free(&host);
	return rc;
}

static int push_status(const char *refname, const char *status, void *payload)
{
	sync_ctx *s = payload;
	(void)refname;
	if (status && !s->rejected)
		s->rejected = pg_strdup(status);
	return 0;
}

static void callbacks(sync_ctx *s, git_remote_callbacks *cb)
{
	git_remote_init_callbacks(cb, GIT_REMOTE_CALLBACKS_VERSION);
	cb->credentials = credentials;
	cb->certificate_check = certificate_check;
	cb->push_update_reference = push_status;
	cb->payload = s;
}

/* The remote: a configured one's URL (read from the config rather than
 * with git_remote_lookup, which leaks in libgit2 1.5), else `name` itself
 * when it is a URL or a path; as an in-memory remote, so nothing of the
 * repository's remote configuration is changed. */
static int open_remote(sync_ctx *s)
{
	const char *name = s->o->remote;
	pg_buf key = PG_BUF_INIT;
	git_config *cfg = NULL;
	git_buf url = { 0 };
	int rc = 0, err = 0;
	if (git_remote_name_is_valid(&rc, name) == 0 && rc) {
		pg_buf_printf(&key, "remote.%s.url", name);
		if (git_repository_config_snapshot(&cfg, s->repo->git) < 0 ||
		    (rc = git_config_get_string_buf(&url, cfg, key.ptr)) < 0) {
			if (rc != GIT_ENOTFOUND) {
				err = pg_error_set(PG_ERUNTIME, "remote '%s': %s", name, git_msg());
				goto out;
			}
			git_error_clear();
		}
	}
	if (!url.size && !strstr(name, "://") && !strchr(name, '/') && !strchr(name, ':')) {
		err = pg_error_set(PG_ECONFIG, "there is no remote called '%s' (give the name of a "
				   "remote, a URL or a path)", name);
		goto out;
	}
	s->url = pg_strdup(url.size ? url.ptr : name);
	/* url.*.insteadOf is not applied: libgit2 1.5 leaks in the regular
	 * expression that finds it (and in git_remote_lookup, for the same) */
	git_remote_create_options co;
	git_remote_create_options_init(&co, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	co.repository = s->repo->git;
	co.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&s->remote, s->url, &co) < 0)
		err = pg_error_set(PG_ERUNTIME, "remote '%s': %s", name, git_msg());
out:
	git_buf_dispose(&url);
	git_config_free(cfg);
	pg_buf_free(&key);
	return err;
}

/* Whether the object `oid` is in the local object database. */
static int have_object(sync_ctx *s, const git_oid *oid)
{
	git_odb *odb = NULL;
	int have = git_repository_odb(&odb, s->repo->git) == 0 && git_odb_exists(odb, oid);
	git_odb_free(odb);
	return have;
}

/* The remote's tip of the notes ref, its objects fetched into the local
 * object database (no local ref is written); *has = 0 when the remote has
 * no such ref. */
static int fetch_tip(sync_ctx *s, git_oid *tip, int *has)
{
	git_remote_callbacks cb;
	git_fetch_options fo;
	const git_remote_head **heads;
	size_t nheads;
	char *spec = (char *)s->ref;
	git_strarray specs = { &spec, 1 };
	int err = 0;
	*has = 0;
	callbacks(s, &cb);
	s->cred_calls = 0;
	if (git_remote_connect(s->remote, GIT_DIRECTION_FETCH, &cb, NULL, NULL) < 0 ||
	    git_remote_ls(&heads, &nheads, s->remote) < 0) {
		err = pg_error_set(PG_ERUNTIME, "cannot read the remote %s: %s", s->o->remote,
				   git_msg());
		goto out;
	}
	for (size_t i = 0; i < nheads; i++)
		if (!strcmp(heads[i]->name, s->ref)) {
			git_oid_cpy(tip, &heads[i]->oid);
			*has = 1;
		}
	if (!*has)
		goto out;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.callbacks = cb;
	fo.update_fetchhead = 0;
	if (git_remote_download(s->remote, &specs, &fo) < 0)
		err = pg_error_set(PG_ERUNTIME, "cannot fetch %s from %s: %s", s->ref, s->o->remote,
				   git_msg());
	else if (!have_object(s, tip))
		err = pg_error_set(PG_ERUNTIME, "fetching %s from %s did not bring its commit",
				   s->ref, s->o->remote);
out:
	git_remote_disconnect(s->remote);
	return err;
}

/* The text of the note on `oid` in notes commit `c`; NULL for none. */
static char *note_text(sync_ctx *s, git_commit *c, const git_oid *oid)
{
	git_note *n = NULL;
	if (git_note_commit_read(&n, s->repo->git, c, oid) < 0) {
		git_error_clear();
		return NULL;
	}
	char *t = pg_strdup(git_note_message(n) ? git_note_message(n) : "");
	git_note_free(n);
	return t;
}

/* The merged text of one commit's two notes into `out`; 0 when the local
 * one stays as it is. */
static int merge_note(sync_ctx *s, const char *local, const char *remote, const git_oid *oid,
		      pg_buf *out)
{
	char sha[GIT_OID_HEXSZ + 1];
	int bad;
	if (!local) {
		pg_buf_puts(out, remote);
		return 1;
	}
	if (!strcmp(local, remote))
		return 0;
	if (pg_notes_union(local, remote, out, &bad) == 0)
		return 1;
	git_oid_tostr(sha, sizeof(sha), oid);
	pg_warn("%s: the %s note of %.12s does not parse (%s); kept the %s one (the other stays "
		"in the notes history)", s->ref, bad == 1 ? "local" : "remote", sha, pg_error_last(),
		bad == 1 ? "remote" : "local");
	if (bad == 2)
		return 0;
	pg_buf_puts(out, remote);
	return 1;
}

/* A commit whose parents are `local` and `remote` and whose notes are the
 * union of both. */
static int merge_commit(sync_ctx *s, git_commit *local, git_commit *remote, git_oid *out,
			size_t *merged)
{
	git_note_iterator *it = NULL;
	git_commit *cur = local, *next;
	git_tree *tree = NULL;
	git_oid note_id, target, created;
	pg_buf text = PG_BUF_INIT;
	int err = 0, rc;
	git_commit_dup(&cur, local);
	if (git_note_commit_iterator_new(&it, remote) < 0) {
		err = pg_error_set(PG_ERUNTIME, "cannot list the notes of %s: %s", s->ref, git_msg());
		goto out;
	}
	while ((rc = git_note_next(&note_id, &target, it)) == 0) {
		char *l = note_text(s, cur, &target), *r = note_text(s, remote, &target);
		pg_buf_clear(&text);
		int change = r && merge_note(s, l, r, &target, &text);
		free(l);
		free(r);
		if (!change)
			continue;
		(*merged)++;
		if (git_note_commit_create(&created, NULL, s->repo->git, cur, s->sig, s->sig, &target,
					   text.ptr, 1) < 0 ||
		    git_commit_lookup(&next, s->repo->git, &created) < 0) {
			err = pg_error_set(PG_ERUNTIME, "cannot merge %s: %s", s->ref, git_msg());
			goto out;
		}
		git_commit_free(cur);
		cur = next;
	}
	if (rc != GIT_ITEROVER) {
		err = pg_error_set(PG_ERUNTIME, "cannot list the notes of %s: %s", s->ref, git_msg());
		goto out;
	}
	const git_commit *parents[2] = { local, remote };
	if (git_commit_tree(&tree, cur) < 0 ||
	    git_commit_create(out, s->repo->git, NULL, s->sig, s->sig, NULL,
			      "perfgate: merge the remote's runs", tree, 2, parents) < 0)
		err = pg_error_set(PG_ERUNTIME, "cannot merge %s: %s", s->ref, git_msg());
out:
	git_tree_free(tree);
	git_commit_free(cur);
	git_note_iterator_free(it);
	pg_buf_free(&text);
	return err;
}

/* Sleeps 20 ms * 2^attempt (at most 2 s), times a random 0.5 to 1.5. */
static void backoff(sync_ctx *s, int attempt)
{
	long ms = 20L << (attempt < 7 ? attempt : 7);
	ms = ms / 2 + (long)(rand_r(&s->seed) % (unsigned long)(ms + 1));
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Merges the remote's tip into the local ref (compare-and-swap, retried
 * while other local writers move it); *tip is the local ref after. */
static int merge_into_local(sync_ctx *s, const git_oid *remote_tip, git_oid *tip,
			    pg_sync_result *res)
{
	git_repository *g = s->repo->git;
	for (int attempt = 0; attempt < PG_NOTE_ATTEMPTS; attempt++) {
		git_oid local, want, zero;
		git_commit *lc = NULL, *rc = NULL;
		git_reference *moved = NULL;
		int exists = git_reference_name_to_id(&local, g, s->ref) == 0, err = 0;
		memset(&zero, 0, sizeof(zero));
		git_error_clear();
		if (exists && (git_oid_equal(&local, remote_tip) ||
			       git_graph_descendant_of(g, &local, remote_tip) == 1)) {
			git_oid_cpy(tip, &local);
			return 0;
		}
		if (!exists || git_graph_descendant_of(g, remote_tip, &local) == 1) {
			git_oid_cpy(&want, remote_tip); /* fast-forward */
		} else if (git_commit_lookup(&lc, g, &local) < 0 ||
			   git_commit_lookup(&rc, g, remote_tip) < 0) {
			err = pg_error_set(PG_ERUNTIME, "cannot read %s: %s", s->ref, git_msg());
		} else {
			err = merge_commit(s, lc, rc, &want, &res->notes_merged);
		}
		git_commit_free(lc);
		git_commit_free(rc);
		if (err < 0)
			return err;
		int r = git_reference_create_matching(&moved, g, s->ref, &want, 1,
						      exists ? &local : &zero,
						      "perfgate: merge the remote's runs");
		git_reference_free(moved);
		if (r == 0) {
			git_oid_cpy(tip, &want);
			res->local_changed = 1;
			return 0;
		}
		if (r != GIT_EMODIFIED && r != GIT_ELOCKED && r != GIT_EEXISTS)
			return pg_error_set(PG_ERUNTIME, "cannot update %s: %s", s->ref, git_msg());
		backoff(s, attempt < 3 ? attempt : 3);
	}
	return pg_error_set(PG_ERUNTIME, "cannot update %s: other writers kept moving or locking "
			    "it; if no git or perfgate is running, remove a stale %s.lock in the .git "
			    "directory", s->ref, s->ref);
}

/* The path of a remote that libgit2 reaches with its local transport. */
static int local_remote_path(const char *url, pg_buf *path)
{
	if (!strncmp(url, "file://", 7)) {
		pg_buf_puts(path, url + 7);
		return 1;
	}
	if (strstr(url, "://") || (strchr(url, ':') && strchr(url, ':') < (strchr(url, '/') ?
									  strchr(url, '/') : url + strlen(url))))
		return 0; /* a URL, or scp-like host:path */
	pg_buf_puts(path, url);
	return 1;
}

/* A remote that is a local repository: the objects `tip` has and `old`
 * has not are written as a pack into its object database (as libgit2's
 * local transport does), then its ref moves by compare-and-swap.  Returns
 * 0, 1 when overtaken, or a negative PG_E* code. */
static int push_local(sync_ctx *s, const char *path, const git_oid *tip, const git_oid *old,
		      int has_old)
{
	git_repository *rr = NULL;
	git_revwalk *walk = NULL;
	git_packbuilder *pb = NULL;
	git_reference *moved = NULL;
	git_oid zero;
	git_buf packdir = { 0 };
	pg_buf packs = PG_BUF_INIT;
	int err = 0, rc;
	memset(&zero, 0, sizeof(zero));
	if (git_repository_open_ext(&rr, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		err = pg_error_set(PG_ERUNTIME, "cannot open the remote %s: %s", path, git_msg());
		goto out;
	}
	if (git_repository_item_path(&packdir, rr, GIT_REPOSITORY_ITEM_OBJECTS) < 0 ||
	    git_revwalk_new(&walk, s->repo->git) < 0 || git_revwalk_push(walk, tip) < 0 ||
	    (has_old && git_revwalk_hide(walk, old) < 0) ||
	    git_packbuilder_new(&pb, s->repo->git) < 0 || git_packbuilder_insert_walk(pb, walk) < 0 ||
	    (pg_path_join(&packs, packdir.ptr, "pack"), 0) ||
	    git_packbuilder_write(pb, packs.ptr, 0, NULL, NULL) < 0) {
		err = pg_error_set(PG_ERUNTIME, "cannot write %s into %s: %s", s->ref, path, git_msg());
		goto out;
	}
	rc = git_reference_create_matching(&moved, rr, s->ref, tip, 1, has_old ? old : &zero,
					   "perfgate: push");
	if (rc == GIT_EMODIFIED || rc == GIT_ELOCKED || rc == GIT_EEXISTS)
		err = 1;
	else if (rc < 0)
		err = pg_error_set(PG_ERUNTIME, "cannot update %s in %s: %s", s->ref, path, git_msg());
out:
	git_reference_free(moved);
	git_packbuilder_free(pb);
	git_revwalk_free(walk);
	git_repository_free(rr);
	git_buf_dispose(&packdir);
	pg_buf_free(&packs);
	return err;
}

/* Pushes `tip` (the local ref) over `old`.  Returns 0 when pushed, 1 when
 * overtaken (retry), or a negative PG_E* code. */
static int push_once(sync_ctx *s, const git_oid *tip, const git_oid *old, int has_old)
{
	git_push_options po;
	pg_buf spec = PG_BUF_INIT, path = PG_BUF_INIT;
	char *specp;
	git_strarray specs = { &specp, 1 };
	int err = 0, rc;
	if (local_remote_path(s->url, &path)) {
		err = push_local(s, path.ptr, tip, old, has_old);
		goto out;
	}
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	callbacks(s, &po.callbacks);
	s->cred_calls = 0;
	free(s->rejected);
	s->rejected = NULL;
	pg_buf_printf(&spec, "%s:%s", s->ref, s->ref); /* not forced: fast-forward only */
	specp = spec.ptr;
	rc = git_remote_push(s->remote, &specs, &po);
	if (rc == GIT_ENONFASTFORWARD || (rc == 0 && s->rejected))
		err = 1; /* the remote's ref moved since we fetched it */
	else if (rc < 0)
		err = pg_error_set(PG_ERUNTIME, "cannot push %s to %s: %s", s->ref, s->o->remote,
				   git_msg());
out:
	pg_buf_free(&spec);
	pg_buf_free(&path);
	return err;
}

static int sync_open(sync_ctx *s, pg_repo *repo, const char *ref, const pg_sync_opts *o,
		     pg_sync_result *res)
{
	struct timespec ts;
	memset(s, 0, sizeof(*s));
	memset(res, 0, sizeof(*res));
	s->repo = repo;
	s->ref = ref;
	s->o = o;
	clock_gettime(CLOCK_REALTIME, &ts);
	s->seed = (unsigned)getpid() ^ (unsigned)ts.tv_nsec;
	if (git_signature_default(&s->sig, repo->git) < 0 &&
	    git_signature_now(&s->sig, "perfgate", "perfgate@localhost") < 0)
		return pg_error_set(PG_ERUNTIME, "cannot make a signature: %s", git_msg());
	if ((o->ca_file || o->ca_dir) &&
	    git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, o->ca_file, o->ca_dir) < 0)
		return pg_error_set(PG_ECONFIG, "cannot use the certificate authorities of %s%s%s: %s",
				    o->ca_file ? o->ca_file : "", o->ca_file && o->ca_dir ? " and " : "",
				    o->ca_dir ? o->ca_dir : "", git_msg());
	return open_remote(s);
}

static void sync_close(sync_ctx *s)
{
	git_remote_free(s->remote);
	git_signature_free(s->sig);
	free(s->url);
	free(s->tls_host);
	free(s->rejected);
}

/* Fetches and merges; *tip is the local ref after, *rtip the remote's. */
static int pull(sync_ctx *s, pg_sync_result *res, git_oid *tip, int *has_local, git_oid *rtip)
{
	int err = fetch_tip(s, rtip, &res->remote_has_ref);
	if (err < 0)
		return err;
	if (res->remote_has_ref)
		return (*has_local = 1, merge_into_local(s, rtip, tip, res));
	*has_local = git_reference_name_to_id(tip, s->repo->git, s->ref) == 0;
	git_error_clear();
	return 0;
}

int pg_notes_pull(pg_repo *repo, const char *ref, const pg_sync_opts *o, pg_sync_result *res)
{
	sync_ctx s;
	git_oid tip, rtip;
	int has_local;
	int err = sync_open(&s, repo, ref, o, res);
	if (err == 0)
		err = pull(&s, res, &tip, &has_local, &rtip);
	sync_close(&s);
	return err;
}

int pg_notes_push(pg_repo *repo, const char *ref, const pg_sync_opts *o, pg_sync_result *res)
{
	sync_ctx s;
	git_oid tip, rtip;
	int has_local = 0, attempts = o->attempts > 0 ? o->attempts : PG_SYNC_ATTEMPTS;
	int err = sync_open(&s, repo, ref, o, res);
	for (int i = 0; err == 0 && i < attempts; i++) {
		res->attempts = i + 1;
		if ((err = pull(&s, res, &tip, &has_local, &rtip)) < 0)
			break;
		if (!has_local || (res->remote_has_ref && git_oid_equal(&tip, &rtip)))
			break; /* nothing the remote does not have */
		if ((err = push_once(&s, &tip, &rtip, res->remote_has_ref)) == 0) {
			res->pushed = 1;
			break;
		}
		if (err > 0 && i + 1 < attempts) {
			err = 0;
			backoff(&s, i);
		}
	}
	if (err > 0)
		err = pg_error_set(PG_ERUNTIME, "cannot push %s to %s: its ref kept moving (%d "
				   "attempts%s%s); the runs are safe in the local notes, run `perfgate "
				   "push` again", ref, o->remote, attempts,
				   s.rejected ? "; the remote said: " : "", s.rejected ? s.rejected : "");
	sync_close(&s);
	return err;
}
