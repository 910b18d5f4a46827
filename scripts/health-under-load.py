#!/usr/bin/env python3
"""/healthz latency while two POSTs of one page are read. Usage:
health-under-load.py CHORUS_BIN PAGE.html"""
import sys, time, threading, urllib.request, subprocess, re, os, tempfile
bin_, page = sys.argv[1], sys.argv[2]
db = tempfile.mktemp(suffix='.db')
p = subprocess.Popen([bin_, 'serve', '--db', db, '--addr', '127.0.0.1:0'], stderr=subprocess.PIPE, text=True)
while True:
    line = p.stderr.readline()
    m = re.search(r'serving http://([^/]+)/', line)
    if m: break
U = 'http://' + m.group(1)
body = open(page, 'rb').read()
res = []
def post(i):
    t = time.time()
    req = urllib.request.Request(U + '/api/articles', data=body.replace(b'<body>', b'<body><h1>n%d</h1>' % i), headers={'Content-Type': 'text/html'})
    try:
        r = urllib.request.urlopen(req, timeout=600); st = r.status
    except Exception as e:
        st = str(e)
    res.append((st, round(time.time() - t, 2)))
ths = [threading.Thread(target=post, args=(i,)) for i in range(2)]
[t.start() for t in ths]
time.sleep(0.2)
worst = 0; n = 0
while any(t.is_alive() for t in ths):
    t = time.time(); urllib.request.urlopen(U + '/healthz', timeout=600).read(); d = time.time() - t
    worst = max(worst, d); n += 1
    time.sleep(0.05)
print(page, 'posts', res, 'healthz worst %.3f s over %d probes' % (worst, n))
p.kill()
