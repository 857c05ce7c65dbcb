// Prints every figure beside its target and writes bench/RESULTS.md.
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';

export function formatRows(rows) {
  const lines = rows.map((row) => {
    const mark = row.met === undefined ? 'not measured' : row.met ? 'met' : 'NOT met';
    return `| ${row.figure} | ${row.value} | ${row.target} | ${mark} |`;
  });
  return ['| figure | value | target | result |', '| --- | --- | --- | --- |', ...lines].join('\n');
}

export function machineDescription() {
  const model = cpus()[0]?.model ?? 'unknown CPU';
  let cores = String(cpus().length);
  try {
    cores = execSync('nproc').toString().trim();
  } catch {
    // keep os.cpus()
  }
  return `${cores} cores (${model}), Node ${process.version}, ${process.platform}`;
}

export function writeResults(path, { rows, command, notes, mode }) {
  const text = `# Benchmark results

Latest ${mode} run of \`${command}\` on ${new Date().toISOString()}.

Machine: ${machineDescription()}.
Everything ran on loopback in one process tree: the provider simulator, the raw passthrough
(bench/passthrough.mjs), switchyard and Portkey as child processes, the load generated in-process
with autocannon; contenders alternate (A B A B) and figures are medians.

${formatRows(rows)}

${notes.map((note) => `- ${note}`).join('\n')}
`;
  writeFileSync(path, text);
}
