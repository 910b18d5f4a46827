#!/usr/bin/env python3
"""Slowloris figure: opens N connections that send a partial request head, then
reports /healthz and how many connections the server still holds after WAIT
seconds. Usage: slowloris.py CHORUS_BIN N WAIT [serve flags...]"""
import sys, socket, time, subprocess, re, tempfile, select, resource
resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
bin_, n, wait = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
extra = sys.argv[4:]
db = tempfile.mktemp(suffix='.db')
p = subprocess.Popen([bin_, 'serve', '--db', db, '--addr', '127.0.0.1:0'] + extra, stderr=subprocess.PIPE, text=True)
while True:
    m = re.search(r'serving http://([^:]+):(\d+)/', p.stderr.readline())
    if m: break
addr = (m.group(1), int(m.group(2)))
def healthz(timeout=30):
    t = time.time()
    try:
        s = socket.create_connection(addr, timeout=timeout)
        s.sendall(b'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
        data = b''
        while True:
            d = s.recv(4096)
            if not d: break
            data += d
        s.close()
        return data.split(b' ')[1].decode() if data else 'closed', time.time() - t
    except Exception as e:
        return str(e), time.time() - t
conns = []
t0 = time.time()
for i in range(n):
    try:
        s = socket.create_connection(addr, timeout=5)
        s.sendall(b'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ')
        s.setblocking(False)
        conns.append(s)
    except Exception as e:
        print('connect', i, 'failed:', e); break
print('opened', len(conns), 'in %.1f s' % (time.time() - t0))
print('healthz during:', healthz())
def held():
    alive = 0
    for s in conns:
        try:
            d = s.recv(1)
            if d == b'': continue
            alive += 1
        except BlockingIOError:
            alive += 1
        except Exception:
            pass
    return alive
print('held right after opening:', held())
time.sleep(wait)
print('held after %.0f s:' % wait, held(), '; healthz:', healthz())
p.kill()
