// The report: every figure beside its target, met or not (and by how much), on the console and
// in a Markdown file with the machine it ran on and the exact command.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

/** Hand-written analysis below this heading survives a new run's rewrite of the figures above it. */
const analysisHeading = '## Analysis';

export function verdict(row) {
  if (row.met === undefined) return 'not measured';
  return row.met ? 'met' : 'NOT met';
}

/**
 * A Markdown table of the rows (also readable on a console), its columns padded to their widest
 * cell as the project's formatter lays tables out, so a full run's rewrite of RESULTS.md passes
 * `biome check` (CI's lint) without a hand edit.
 */
export function formatRows(rows) {
  const escapeBars = (text) => String(text).replaceAll('|', '\\|');
  const header = ['figure', 'value', 'target', 'result', 'by how much'];
  const body = rows.map((row) => [
    escapeBars(row.figure),
    escapeBars(row.value),
    escapeBars(row.target),
    verdict(row),
    escapeBars(row.gap ?? ''),
  ]);
  const widths = header.map((title, column) => Math.max(3, title.length, ...body.map((cells) => cells[column].length)));
  const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const separator = `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`;
  return [line(header), separator, ...body.map(line)].join('\n');
}

/** `nproc`, the CPU model, memory, Node and kernel versions. */
export function describeMachine() {
  let cores = String(cpus().length);
  try {
    cores = execFileSync('nproc').toString().trim();
  } catch {
    // os.cpus() then.
  }
  const model = cpus()[0]?.model?.trim() || 'unknown CPU';
  return (
    `${cores} cores (nproc), ${model}, ${(totalmem() / 2 ** 30).toFixed(0)} ` +
    `GB RAM, Node ${process.version}, Linux ${release()}`
  );
}

export function loadAverage() {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

/**
 * Writes the run to `path`: date, command, machine, load, the table, notes; keeps an existing
 * `## Analysis` section (written by hand about a given run) at the end.
 */
export function writeResults(path, { rows, command, mode, machine, loadBefore, loadAfter, durationSeconds, notes }) {
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const analysisAt = previous.indexOf(`\n${analysisHeading}`);
  const analysis = analysisAt === -1 ? '' : `\n${previous.slice(analysisAt + 1).trimEnd()}\n`;
  const met = rows.filter((row) => row.met === true).length;
  const text = `# Benchmark results

Latest ${mode} run: \`${command}\`, ${new Date().toISOString()}, ${durationSeconds.toFixed(0)} s.

- Machine: ${machine}.
- Load average (1 / 5 / 15 min) before the run ${loadBefore}, after it ${loadAfter}.
- Everything on loopback, started and stopped by the benchmark: the provider simulator, the raw
  \`node:http\` passthrough (bench/passthrough.mjs), \`switchyard serve\` and the Portkey gateway, each
  its own process; load generated in the benchmark's process (autocannon as a library for
  throughput, sequential keep-alive requests timed with \`process.hrtime.bigint\` for latency).
  Contenders alternate (A B, B A, A B ...); a ratio is the median of each round's own ratio,
  every other figure a median.

${met} of ${rows.length} targets met.

${formatRows(rows)}

${notes.map((note) => `- ${note}`).join('\n')}
${analysis}`;
  writeFileSync(path, text);
}
