/*
 * callgrind.c - a strict reader of callgrind output (see callgrind.h).
 */
#include "callgrind.h"
#include "buf.h"
#include "error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 64  /* positions + events on a cost line */

typedef struct names {    /* names of one kind: id -> string, and those given whole */
	char **v;
	size_t n;
	char **whole;
	size_t nwhole;
} names;

typedef struct parser {
	pg_cg_profile *p;
	const char *where;
	size_t lineno;
	names files, fns;     /* fl/fi/fe/cfi/cfl share one table, fn/cfn another */
	int npos, line_pos;   /* position columns, and which one is "line" (-1) */
	int nevents, ir;      /* event columns, and which one is Ir (-1) */
	uint64_t last[MAX_COLUMNS];
	long cur;             /* current function (index in p->fns), -1 none */
	char *file;           /* current fl= */
	int pending_call;     /* a calls= line: the next line is its cost */
} parser;

static int fail(parser *ps, const char *what)
{
	return pg_error_set(PG_ECORRUPT, "%s:%zu: %s (not callgrind output?)", ps->where,
			    ps->lineno, what);
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static size_t hash(const char *s)
{
	size_t h = 5381;
	while (*s)
		h = h * 33 ^ (unsigned char)*s++;
	return h;
}

static void index_grow(pg_cg_profile *p)
{
	size_t size = p->index_size ? p->index_size * 2 : 256;
	size_t *ix = pg_calloc(size, sizeof(*ix));
	for (size_t i = 0; i < size; i++)
		ix[i] = (size_t)-1;
	for (size_t f = 0; f < p->n; f++) {
		size_t h = hash(p->fns[f].name) & (size - 1);
		while (ix[h] != (size_t)-1)
			h = (h + 1) & (size - 1);
		ix[h] = f;
	}
	free(p->index);
	p->index = ix;
	p->index_size = size;
}

static size_t *slot(const pg_cg_profile *p, const char *name)
{
	if (!p->index_size)
		return NULL;
	size_t h = hash(name) & (p->index_size - 1);
	while (p->index[h] != (size_t)-1 && strcmp(p->fns[p->index[h]].name, name))
		h = (h + 1) & (p->index_size - 1);
	return &p->index[h];
}

const pg_cg_fn *pg_callgrind_find(const pg_cg_profile *p, const char *name)
{
	size_t *s = slot(p, name);
	return s && *s != (size_t)-1 ? &p->fns[*s] : NULL;
}

/* The function `name` (in `file` when new), added when new; its index. */
static long add_fn(pg_cg_profile *p, const char *name, const char *file)
{
	size_t *s = slot(p, name);
	if (s && *s != (size_t)-1)
		return (long)*s;
	if ((p->n + 1) * 2 > p->index_size) {
		index_grow(p);
		s = slot(p, name);
	}
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? p->alloc * 2 : 64;
		p->fns = pg_realloc(p->fns, p->alloc * sizeof(*p->fns));
	}
	pg_cg_fn *f = &p->fns[p->n];
	memset(f, 0, sizeof(*f));
	f->name = pg_strdup(name);
	f->file = pg_strdup(file ? file : "???");
	*s = p->n;
	return (long)p->n++;
}

static long fn_index(parser *ps, const char *name)
{
	return add_fn(ps->p, name, ps->file);
}

void pg_callgrind_merge(pg_cg_profile *into, const pg_cg_profile *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const pg_cg_fn *f = &from->fns[i];
		long k = add_fn(into, f->name, f->file); /* may move into->fns */
		pg_cg_fn *t = &into->fns[k];
		t->self = sat_add(t->self, f->self);
		t->incl = sat_add(t->incl, f->incl);
		if (f->line && (!t->line || f->line < t->line))
			t->line = f->line;
	}
	into->total = sat_add(into->total, from->total);
	into->unnamed = sat_add(into->unnamed, from->unnamed);
}

/* "(id) name", "(id)" or "name": the name, defining the id when given. */
static int name_spec(parser *ps, names *t, char *spec, const char **out)
{
	*out = NULL;
	if (*spec == '(') {
		char *end;
		errno = 0;
		unsigned long id = strtoul(spec + 1, &end, 10);
		if (end == spec + 1 || *end != ')' || errno || id >= PG_CG_ID_MAX)
			return fail(ps, "bad name id");
		spec = end + 1;
		while (*spec == ' ')
			spec++;
		if (!*spec) {
			if (id >= t->n || !t->v[id])
				return fail(ps, "name id used before it is defined");
			*out = t->v[id];
			return 0;
		}
		if (strlen(spec) > PG_CG_NAME_MAX)
			return fail(ps, "name too long");
		if (id >= t->n) {
			size_t n = id + 1 > t->n * 2 ? id + 1 : t->n * 2;
			t->v = pg_realloc(t->v, n * sizeof(*t->v));
			memset(t->v + t->n, 0, (n - t->n) * sizeof(*t->v));
			t->n = n;
		}
		/* an id names one thing for the whole file (pointers to its
		 * name are kept) */
		if (t->v[id] && strcmp(t->v[id], spec))
			return fail(ps, "name id redefined");
		if (!t->v[id])
			t->v[id] = pg_strdup(spec);
		*out = t->v[id];
		return 0;
	}
	if (strlen(spec) > PG_CG_NAME_MAX)
		return fail(ps, "name too long");
	/* a name given whole is kept until the end, as ids' are */
	t->whole = pg_realloc(t->whole, (t->nwhole + 1) * sizeof(*t->whole));
	t->whole[t->nwhole] = pg_strdup(spec);
	*out = t->whole[t->nwhole++];
	return 0;
}

/* "positions: line" / "events: Ir Dr": the columns of cost lines. */
static int header_columns(parser *ps, char *v, int events)
{
	int n = 0;
	for (char *tok = strtok(v, " \t"); tok; tok = strtok(NULL, " \t"), n++) {
		if (n >= MAX_COLUMNS / 2)
			return fail(ps, "too many columns");
		if (events && !strcmp(tok, "Ir"))
			ps->ir = n;
		if (!events && !strcmp(tok, "line"))
			ps->line_pos = n;
		if (!events && strcmp(tok, "line") && strcmp(tok, "instr"))
			return fail(ps, "unknown position kind");
	}
	if (!n)
		return fail(ps, events ? "no events" : "no positions");
	if (events)
		ps->nevents = n;
	else
		ps->npos = n;
	return 0;
}

static int number(parser *ps, const char *s, char **end, uint64_t *out)
{
	int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	errno = 0;
	*out = strtoull(s, end, hex ? 16 : 10); /* decimal, or 0x hexadecimal (addresses) */
	if (*end == s || errno == ERANGE || *s == '-' || *s == '+' || *s == ' ' || *s == '\t')
		return fail(ps, "bad number");
	return 0;
}

static int cost_line(parser *ps, char *s)
{
	uint64_t ir = 0;
	long line = 0;
	char *end;
	if (ps->nevents == 0 || ps->ir < 0)
		return fail(ps, "cost line before \"events:\" naming Ir");
	for (int c = 0; c < ps->npos; c++) {
		uint64_t v;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '*') {
			v = ps->last[c];
			end = s + 1;
		} else if (*s == '+' || *s == '-') {
			uint64_t d;
			if (number(ps, s + 1, &end, &d) < 0)
				return PG_ECORRUPT;
			v = *s == '+' ? ps->last[c] + d : ps->last[c] - d;
		} else if (number(ps, s, &end, &v) < 0) {
			return PG_ECORRUPT;
		}
		if (*end && *end != ' ' && *end != '\t')
			return fail(ps, "bad position");
		ps->last[c] = v;
		if (c == ps->line_pos)
			line = v <= (uint64_t)1 << 31 ? (long)v : 0;
		s = end;
	}
	for (int e = 0; e < ps->nevents; e++) {
		uint64_t v;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break; /* trailing zero costs may be left out */
		if (number(ps, s, &end, &v) < 0)
			return PG_ECORRUPT;
		if (*end && *end != ' ' && *end != '\t')
			return fail(ps, "bad cost");
		if (e == ps->ir)
			ir = v;
		s = end;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s)
		return fail(ps, "more costs than events");
	if (ps->cur < 0)
		return fail(ps, "cost line outside a function");
	pg_cg_fn *f = &ps->p->fns[ps->cur];
	if (ps->pending_call) {
		f->incl = sat_add(f->incl, ir);
		ps->pending_call = 0;
		return 0;
	}
	f->self = sat_add(f->self, ir);
	f->incl = sat_add(f->incl, ir);
	ps->p->total = sat_add(ps->p->total, ir);
	if (line > 0 && (f->line == 0 || line < f->line))
		f->line = line;
	return 0;
}

static int spec_line(parser *ps, char *s)
{
	const char *name;
	int err;
	if (!strncmp(s, "fn=", 3)) {
		if ((err = name_spec(ps, &ps->fns, s + 3, &name)) < 0)
			return err;
		ps->cur = fn_index(ps, name);
	} else if (!strncmp(s, "fl=", 3)) {
		if ((err = name_spec(ps, &ps->files, s + 3, &name)) < 0)
			return err;
		ps->file = (char *)name;
	} else if (!strncmp(s, "fi=", 3) || !strncmp(s, "fe=", 3)) {
		return name_spec(ps, &ps->files, s + 3, &name);
	} else if (!strncmp(s, "cfi=", 4) || !strncmp(s, "cfl=", 4)) {
		return name_spec(ps, &ps->files, s + 4, &name);
	} else if (!strncmp(s, "cfn=", 4)) {
		return name_spec(ps, &ps->fns, s + 4, &name);
	} else if (!strncmp(s, "calls=", 6)) {
		ps->pending_call = 1;
	} else if (strncmp(s, "ob=", 3) && strncmp(s, "cob=", 4) && strncmp(s, "jump=", 5) &&
		   strncmp(s, "jcnd=", 5)) {
		return fail(ps, "unknown line");
	}
	return 0;
}

static int header_line(parser *ps, char *s)
{
	char *colon = strchr(s, ':');
	char *v = colon + 1;
	*colon = '\0';
	while (*v == ' ' || *v == '\t')
		v++;
	if (!strcmp(s, "positions"))
		return header_columns(ps, v, 0);
	if (!strcmp(s, "events"))
		return header_columns(ps, v, 1);
	if (!strcmp(s, "part"))
		ps->cur = -1; /* a new part: names and positions go on */
	return 0;
}

static int parse_line(parser *ps, char *s)
{
	if (ps->pending_call && !(*s >= '0' && *s <= '9') && *s != '+' && *s != '-' && *s != '*')
		return fail(ps, "a calls= line must be followed by its cost");
	if (!*s || *s == '#')
		return 0;
	if ((*s >= '0' && *s <= '9') || *s == '+' || *s == '-' || *s == '*')
		return cost_line(ps, s);
	size_t key = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	if (key && s[key] == ':')
		return header_line(ps, s);
	return spec_line(ps, s);
}

int pg_callgrind_parse(pg_cg_profile *out, const char *text, size_t len, const char *where)
{
	parser ps = { out, where, 0, { NULL, 0, NULL, 0 }, { NULL, 0, NULL, 0 }, 1, -1, 0, -1, { 0 },
		      -1, NULL, 0 };
	pg_buf line = PG_BUF_INIT;
	size_t i = 0;
	int err = 0;
	memset(out, 0, sizeof(*out));
	while (i < len && err == 0) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		ps.lineno++;
		if (memchr(text + i, '\0', n)) {
			err = fail(&ps, "NUL byte");
			break;
		}
		pg_buf_clear(&line);
		pg_buf_put(&line, text + i, n);
		if (line.len && line.ptr[line.len - 1] == '\r')
			line.ptr[--line.len] = '\0';
		err = parse_line(&ps, line.ptr);
		i += n + 1;
	}
	if (err == 0 && ps.pending_call)
		err = fail(&ps, "the file ends after a calls= line");
	if (err == 0 && ps.nevents == 0)
		err = pg_error_set(PG_ECORRUPT, "%s: no \"events:\" line (not callgrind output?)",
				   where);
	for (size_t f = 0; f < out->n; f++)
		if (!strncmp(out->fns[f].name, "0x", 2))
			out->unnamed = sat_add(out->unnamed, out->fns[f].self);
	names *tables[] = { &ps.files, &ps.fns };
	for (int t = 0; t < 2; t++) {
		for (size_t k = 0; k < tables[t]->n; k++)
			free(tables[t]->v[k]);
		for (size_t k = 0; k < tables[t]->nwhole; k++)
			free(tables[t]->whole[k]);
		free(tables[t]->v);
		free(tables[t]->whole);
	}
	pg_buf_free(&line);
	return err;
}

void pg_callgrind_free(pg_cg_profile *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->fns[i].name);
		free(p->fns[i].file);
	}
	free(p->fns);
	free(p->index);
	memset(p, 0, sizeof(*p));
}
