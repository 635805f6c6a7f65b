// A minimal LSP client over stdio for the benchmark: Content-Length framing, requests with
// promises, notifications to listeners, and polite answers to server-to-client requests.
'use strict';
const { spawn } = require('node:child_process');

class LspClient {
  /**
   * Spawns `node serverPath --stdio`. `configuration(item)` answers each item of a
   * workspace/configuration request (default: null, i.e. the server's defaults); `nodeArgs`
   * go to node before the script (e.g. --max-old-space-size).
   */
  constructor(serverPath, { cwd, stderrTail = 8192, configuration = () => null, nodeArgs = [] } = {}) {
    this.configuration = configuration;
    this.child = spawn(process.execPath, [...nodeArgs, serverPath, '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    this.stderr = '';
    this.exited = false;
    this.chunks = [];
    this.buffered = 0;
    this.expect = -1; // body length of the message being read, -1 while reading headers
    this.child.stdout.on('data', (d) => this.onData(d));
    this.child.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-stderrTail); });
    this.child.stdin.on('error', () => { /* server gone: reported through exit */ });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
      for (const { reject } of this.pending.values()) reject(new Error(`language server ended (${this.exitInfo})`));
      this.pending.clear();
      for (const l of this.listeners) l({ method: '$exit', params: { code, signal } });
    });
  }

  get pid() { return this.child.pid; }

  onData(d) {
    this.chunks.push(d);
    this.buffered += d.length;
    for (;;) {
      if (this.expect < 0) {
        const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
        this.chunks = [all];
        const sep = all.indexOf('\r\n\r\n');
        if (sep < 0) return;
        const header = all.subarray(0, sep).toString('ascii');
        const m = /Content-Length:\s*(\d+)/i.exec(header);
        if (!m) {
          // Not LSP framing (e.g. a stray console.log on stdout): drop it and say so.
          this.chunks = [all.subarray(sep + 4)];
          this.buffered = this.chunks[0].length;
          for (const l of this.listeners) l({ method: '$bad-header', params: { header } });
          continue;
        }
        this.expect = Number(m[1]);
        const rest = all.subarray(sep + 4);
        this.chunks = [rest];
        this.buffered = rest.length;
      }
      if (this.buffered < this.expect) return;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      const body = all.subarray(0, this.expect).toString('utf8');
      const rest = all.subarray(this.expect);
      this.chunks = [rest];
      this.buffered = rest.length;
      this.expect = -1;
      let msg;
      try { msg = JSON.parse(body); } catch { for (const l of this.listeners) l({ method: '$bad-json', params: { body: body.slice(0, 200) } }); continue; }
      this.dispatch(msg);
    }
  }

  dispatch(msg) {
    const now = performance.now();
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${msg.error.code}: ${msg.error.message}`));
      else p.resolve(msg.result);
      return;
    }
    if (msg.id !== undefined) {
      // A request from the server: answer so it never waits on us.
      let result = null;
      if (msg.method === 'workspace/configuration') result = (msg.params && msg.params.items || []).map((item) => this.configuration(item));
      this.send({ jsonrpc: '2.0', id: msg.id, result });
    }
    for (const l of this.listeners) l({ method: msg.method, params: msg.params, time: now });
  }

  send(msg) {
    if (this.exited) return;
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request(method, params, timeoutMs = 30_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(id); reject(new Error(`${method}: no answer in ${timeoutMs} ms`)); }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  onMessage(fn) {
    this.listeners.push(fn);
    return () => { this.listeners = this.listeners.filter((l) => l !== fn); };
  }

  /** Shuts the server down politely, then by force after graceMs. */
  async close(graceMs = 3000) {
    if (this.exited) return;
    try {
      await this.request('shutdown', null, graceMs);
      this.notify('exit', null);
    } catch { /* kill below */ }
    await new Promise((resolve) => {
      if (this.exited) return resolve();
      const t = setTimeout(() => {
        try { process.kill(-this.child.pid, 'SIGKILL'); } catch { try { this.child.kill('SIGKILL'); } catch { /* gone */ } }
        resolve();
      }, graceMs);
      this.child.once('exit', () => { clearTimeout(t); resolve(); });
    });
  }
}

module.exports = { LspClient };
