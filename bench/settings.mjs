// How long and how often each figure is measured: `--quick` (under two minutes) or full.

export function benchSettings(argv) {
  const quick = argv.includes('--quick');
  // `--only=latency,memory`: just those sections (for working on one figure; never for RESULTS.md).
  const only = argv
    .find((argument) => argument.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const shared = { afterFailoverRequests: 10_000, holdOpenMs: 60_000, only };
  // `--rounds=N --seconds=S`: other alternations, for studying the machine's noise (not for RESULTS.md).
  const overrides = {};
  for (const name of ['rounds', 'seconds']) {
    const value = Number(argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3));
    if (Number.isFinite(value) && value > 0) overrides[name] = value;
  }
  return { ...chosen(quick, shared), ...overrides };
}

function chosen(quick, shared) {
  if (quick) {
    return {
      ...shared,
      mode: 'quick',
      // Sized to finish in under two minutes, build and Portkey's first install included, on the
      // slower of the machines seen (1 s runs took well over two minutes there).
      seconds: 0.6,
      warmUpSeconds: 0.3,
      // The first figure meets freshly started proxies: V8 goes on optimizing switchyard's request
      // path (some 600 functions, on cores the load shares) for about 3 s of traffic. Measured
      // sooner, the quick run reported the warm-up (far below the full run's ratio).
      firstWarmUpSeconds: 3.6,
      rounds: 3,
      latencyCount: 1_000,
      firstByteCount: 500,
      portkeyFirstByteCount: 200,
      // The same baseline as the full run: before ~20,000 requests RSS still grows to the working
      // size (V8 widens its young generation as the allocation rate demands), which a leak check
      // from 5,000 mistook for growth; the quick run only looks at a shorter stretch after.
      leakRequests: [20_000, 40_000],
      passthroughMemoryReference: false,
      starts: 5,
    };
  }
  return {
    ...shared,
    mode: 'full',
    // Many short alternations rather than a few long ones: other work on the machine then
    // lands on every contender alike.
    seconds: 5,
    warmUpSeconds: 3,
    firstWarmUpSeconds: 3.6,
    rounds: 7,
    latencyCount: 10_000,
    firstByteCount: 4_000,
    portkeyFirstByteCount: 1_000,
    leakRequests: [20_000, 200_000],
    passthroughMemoryReference: true,
    starts: 11,
  };
}
