"""redirect_server.py CERT KEY PORTFILE LOG MODE - two HTTPS git "remotes"
on 127.0.0.1 for test_notes_tls.sh.  A (its port written to PORTFILE,
reached as https://localhost:PORT) answers every request with 401 and a
Basic challenge (MODE "401") or with a 302 to the same path on B (MODE
"redirect"), reached as https://127.0.0.1:PORT; B always answers 401.
Each request is logged to LOG as "SERVER PATH AUTHORIZATION".  Stops after
30 s."""
import http.server, ssl, sys, threading
cert, key, portfile, log, mode = sys.argv[1:6]
def handler(tag, other):
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            with open(log, "a") as f:
                f.write("%s %s %s\n" % (tag, self.path, self.headers.get("Authorization")))
            if tag == "A" and mode == "redirect":
                self.send_response(302)
                self.send_header("Location", "https://127.0.0.1:%d%s" % (other[0], self.path))
            else:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="x"')
            self.send_header("Content-Length", "0")
            self.end_headers()
        def log_message(self, *a):
            pass
    return H
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
other = [0]
b = http.server.HTTPServer(("127.0.0.1", 0), handler("B", other))
a = http.server.HTTPServer(("127.0.0.1", 0), handler("A", [b.server_address[1]]))
for s in (a, b):
    s.socket = ctx.wrap_socket(s.socket, server_side=True)
    threading.Thread(target=s.serve_forever, daemon=True).start()
open(portfile, "w").write(str(a.server_address[1]))
threading.Event().wait(30)
