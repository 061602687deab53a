"""forkserver.py - a real forking server (socketserver.ForkingTCPServer) on
127.0.0.1: each connection is served by a forked child, which answers
"pid PID" and holds the connection until the client sends a line.  Prints
"ready PID PORT".  It stops after 120 s whatever happens."""
import os
import signal
import socketserver


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"pid %d\n" % os.getpid())
        self.wfile.flush()
        self.rfile.readline()


class Server(socketserver.ForkingTCPServer):
    allow_reuse_address = True


signal.alarm(120)
with Server(("127.0.0.1", 0), Handler) as server:
    print("ready", os.getpid(), server.server_address[1], flush=True)
    server.serve_forever()
