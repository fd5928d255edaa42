import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { labelledSet } from './helpers.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/themes/cli.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

interface Output {
  themes: { id: string; label: string; terms: string[]; size: number; quotes: { id: string; text: string }[]; memberIds: string[] }[];
  assignments: Record<string, string>;
}

describe('themes CLI', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'themes-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes themes and an assignment for every good line, and names the bad lines on stderr', () => {
    const good = labelledSet().slice(0, 120);
    const lines = good.map((a) => JSON.stringify({ id: a.id, text: a.text, quotable: a.id !== 'l001', named: false }));
    lines.splice(10, 0, '{"id": "broken", "text": ');
    lines.splice(20, 0, '{"id": "no-text"}');
    lines.splice(30, 0, '');
    lines.push(JSON.stringify({ id: good[0]?.id, text: 'a duplicate id' }));
    writeFileSync(join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
    const res = run(['--in', join(dir, 'in.jsonl'), '--out', join(dir, 'out.json')]);
    expect(res.status, res.stderr).to.equal(0);
    expect(res.stderr).to.match(/line 11\b.*not valid JSON/);
    expect(res.stderr).to.match(/line 21\b.*text/);
    expect(res.stderr).to.match(new RegExp(`line ${lines.length}\\b.*duplicate`));
    expect(res.stderr).to.not.match(/line 31\b/);
    const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as Output;
    expect(Object.keys(out.assignments).sort()).to.deep.equal(good.map((a) => a.id).sort());
    for (const t of out.themes) {
      expect(t).to.include.keys('id', 'label', 'terms', 'size', 'quotes', 'memberIds');
      for (const q of t.quotes) expect(q.id).to.not.equal('l001');
    }
    expect(out.themes.reduce((a, t) => a + t.size, 0)).to.equal(good.length);
  });

  it('gives exactly N themes with --k N, and the same output for the same --seed', () => {
    const good = labelledSet().slice(0, 150);
    writeFileSync(join(dir, 'k.jsonl'), good.map((a) => JSON.stringify({ id: a.id, text: a.text })).join('\n'));
    const a = run(['--in', join(dir, 'k.jsonl'), '--out', join(dir, 'k1.json'), '--k', '6', '--seed', '3']);
    const b = run(['--in', join(dir, 'k.jsonl'), '--out', join(dir, 'k2.json'), '--k', '6', '--seed', '3']);
    expect(a.status, a.stderr).to.equal(0);
    expect(b.status, b.stderr).to.equal(0);
    const out = JSON.parse(readFileSync(join(dir, 'k1.json'), 'utf8')) as Output;
    expect(out.themes).to.have.length(6);
    expect(readFileSync(join(dir, 'k1.json'), 'utf8')).to.equal(readFileSync(join(dir, 'k2.json'), 'utf8'));
  });

  it('exits 2 with a usage message on bad arguments', () => {
    for (const args of [
      [],
      ['--in', 'x.jsonl'],
      ['--in', join(dir, 'nope.jsonl'), '--out', 'o.json'],
      ['--in', 'a', '--out', 'b', '--k', 'two'],
      ['--bogus'],
    ]) {
      const res = run(args);
      expect(res.status, args.join(' ')).to.equal(2);
      expect(res.stderr).to.match(/Usage: /);
    }
  });
});
