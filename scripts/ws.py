"""Prints every frame of a ChatApp WebSocket (standard library only): python3 scripts/ws.py "$URL",
where URL is the "url" of POST /api/v1/realtime/tickets. Sends one ping; stop with Ctrl-C."""
import base64, json, os, socket, struct, sys, urllib.parse
url = urllib.parse.urlparse(sys.argv[1])            # the ticket's url: ws://host:port/ws?ticket=...
s = socket.create_connection((url.hostname, url.port or 80))
s.sendall((f"GET {url.path}?{url.query} HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
           f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n\r\n").encode())
f = s.makefile("rb")
print(f.readline().decode().strip())                # HTTP/1.1 101 (401: ticket spent or expired)
while f.readline() not in (b"\r\n", b""):
    pass
def send(frame):                                     # client frames are masked (RFC 6455)
    data, mask = json.dumps(frame).encode(), os.urandom(4)
    size = bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(data))
    s.sendall(bytes([0x81]) + size + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
send({"type": "ping"})
while True:                                          # print every frame: hello, pong, message, read, ...
    b0, b1 = f.read(2)
    n = b1 & 0x7F
    n = struct.unpack(">H", f.read(2))[0] if n == 126 else struct.unpack(">Q", f.read(8))[0] if n == 127 else n
    payload = f.read(n)
    if b0 & 0x0F == 8:                               # close
        break
    print(payload.decode(), flush=True)
