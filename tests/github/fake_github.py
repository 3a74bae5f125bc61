"""fake_github.py - a real HTTP server on 127.0.0.1 that speaks the subset of
the GitHub REST API perfgate uses, for perfgate's tests.

It keeps issue comments and commit statuses in memory, pages comment lists
with Link headers (a small page size, so pagination is exercised), checks the
bearer token, and records every request (method, path, headers, body) so a
test can assert exactly what perfgate sent.  Tests script failures by queueing
canned responses for a method and path prefix; a canned response can also let
the request take effect first ("apply") or drop the connection without an
answer ("drop"), as a proxy in front of GitHub may.

Endpoints: GET /user; GET and POST /repos/O/R/issues/N/comments;
PATCH and DELETE /repos/O/R/issues/comments/ID; POST /repos/O/R/statuses/SHA;
GET /repos/O/R/pulls?state=open&head=OWNER:BRANCH (pull requests in GitHub's
shape: number, state, head.{label, ref, sha, repo.full_name, repo.owner.login},
base.{ref, repo.full_name}).
Only the repositories in `repos` exist; others answer 404 like GitHub.
"""
import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGitHub:
    def __init__(self, token="ghs_test_token_123", repos=("acme/widgets",), page_size=2,
                 user_login="perfgate-bot", user_status=200):
        self.token = token
        self.repos = set(repos)
        self.page_size = page_size
        self.user_login = user_login
        self.user_status = user_status
        self.comments = {}      # issue number -> list of comment dicts
        self.statuses = []
        self.pulls = []         # pull request objects, as GitHub returns them
        self.requests = []
        self.canned = []        # [method, path prefix, response dict]
        self.next_id = 1000
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # -- test helpers ---------------------------------------------------
    def seed_comment(self, issue, body, login):
        with self.lock:
            self.next_id += 1
            c = {"id": self.next_id, "body": body, "user": {"login": login}}
            self.comments.setdefault(issue, []).append(c)
            return c

    def add_pull(self, number, sha, ref, head_repo="acme/widgets", state="open", base="acme/widgets"):
        owner = head_repo.split("/")[0]
        pr = {"number": number, "state": state,
              "head": {"label": "%s:%s" % (owner, ref), "ref": ref, "sha": sha,
                       "user": {"login": owner},
                       "repo": {"full_name": head_repo, "owner": {"login": owner}}},
              "base": {"ref": "main", "repo": {"full_name": base}}}
        with self.lock:
            self.pulls.append(pr)
        return pr

    def fail_next(self, method, prefix, *responses):
        """Queue canned responses, e.g. {"status": 500} or
        {"status": 429, "headers": {"Retry-After": "1"}}; with "apply": True the
        request takes effect before the canned answer; with "drop": True the
        connection is closed without any answer."""
        with self.lock:
            for r in responses:
                self.canned.append([method, prefix, r])

    def api_requests(self):
        return list(self.requests)

    # -- the server -------------------------------------------------------
    def _handler(self):
        gh = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            muted = False

            def _send(self, status, body=None, headers=None):
                if self.muted:
                    return None
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                url = urllib.parse.urlsplit(self.path)
                rec = {"method": self.command, "path": url.path, "query": url.query,
                       "headers": {k.lower(): v for k, v in self.headers.items()},
                       "body": raw.decode("utf-8", "replace")}
                with gh.lock:
                    gh.requests.append(rec)
                    canned = None
                    for i, (m, prefix, resp) in enumerate(gh.canned):
                        if m == self.command and url.path.startswith(prefix):
                            canned = gh.canned.pop(i)[2]
                            break
                body = json.loads(raw) if raw else None
                if canned and canned.get("apply"):
                    self.muted = True
                    self._route(url, body)
                    self.muted = False
                if canned and canned.get("drop"):
                    self.close_connection = True
                    return None
                if canned:
                    return self._send(canned["status"], canned.get("body", {"message": "canned"}),
                                      canned.get("headers"))
                if self.headers.get("Authorization") != "Bearer " + gh.token:
                    return self._send(401, {"message": "Bad credentials"})
                return self._route(url, body)

            def _route(self, url, body):
                path = url.path
                if path == "/user":
                    if gh.user_status != 200:
                        return self._send(gh.user_status, {"message": "Resource not accessible by integration"})
                    return self._send(200, {"login": gh.user_login})
                m = re.fullmatch(r"/repos/([^/]+/[^/]+)/(.*)", path)
                if not m or m.group(1) not in gh.repos:
                    return self._send(404, {"message": "Not Found"})
                rest = m.group(2)
                if rest == "pulls" and self.command == "GET":
                    return self._pulls(url)
                m = re.fullmatch(r"issues/(\d+)/comments", rest)
                if m and self.command == "GET":
                    return self._list(int(m.group(1)), url)
                if m and self.command == "POST":
                    with gh.lock:
                        gh.next_id += 1
                        c = {"id": gh.next_id, "body": body["body"], "user": {"login": gh.user_login}}
                        gh.comments.setdefault(int(m.group(1)), []).append(c)
                    return self._send(201, c)
                m = re.fullmatch(r"issues/comments/(\d+)", rest)
                if m:
                    cid = int(m.group(1))
                    with gh.lock:
                        for issue, cs in gh.comments.items():
                            for c in cs:
                                if c["id"] == cid:
                                    if self.command == "PATCH":
                                        c["body"] = body["body"]
                                        return self._send(200, c)
                                    if self.command == "DELETE":
                                        cs.remove(c)
                                        return self._send(204)
                    return self._send(404, {"message": "Not Found"})
                m = re.fullmatch(r"statuses/([0-9a-f]{40})", rest)
                if m and self.command == "POST":
                    with gh.lock:
                        gh.statuses.append(dict(body, sha=m.group(1)))
                    return self._send(201, body)
                return self._send(404, {"message": "Not Found"})

            def _pulls(self, url):
                q = urllib.parse.parse_qs(url.query)
                state = q.get("state", ["open"])[0]
                head = q.get("head", [None])[0]
                with gh.lock:
                    found = [p for p in gh.pulls
                             if (state == "all" or p["state"] == state)
                             and (head is None or p["head"]["label"] == head)]
                return self._page(found, url)

            def _list(self, issue, url):
                return self._page(gh.comments.get(issue, []), url)

            def _page(self, cs, url):
                q = urllib.parse.parse_qs(url.query)
                page = int(q.get("page", ["1"])[0])
                per = min(int(q.get("per_page", ["30"])[0]), gh.page_size)
                chunk = cs[(page - 1) * per: page * per]
                headers = {}
                if page * per < len(cs):
                    rest = [(k, v) for k, v in urllib.parse.parse_qsl(url.query)
                            if k not in ("page", "per_page")]
                    query = urllib.parse.urlencode(rest + [("per_page", per), ("page", page + 1)])
                    nxt = "%s%s?%s" % (gh.url, url.path, query)
                    headers["Link"] = '<%s>; rel="next", <%s>; rel="last"' % (nxt, nxt)
                return self._send(200, chunk, headers)

            do_GET = do_POST = do_PATCH = do_DELETE = _handle

        return Handler
