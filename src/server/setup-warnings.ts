import { type BucketProblemSources, bucketProblem } from '../auth/bucket-problem.js';
import type { Chain } from '../profiles/types.js';

/**
 * Says, when a profile starts serving, which of its buckets cannot serve and the command that fixes
 * each: a fresh home whose profile names buckets nobody logged into would otherwise start silently
 * and answer every request with an error. Each bucket is named once, however many times it is listed.
 */
export async function warnAboutUnusableBuckets(
  chain: Chain,
  sources: BucketProblemSources,
  warn: (message: string) => void,
): Promise<void> {
  const seen = new Set<string>();
  let unusable = 0;
  for (const target of chain.targets) {
    if (seen.has(target.key)) continue;
    seen.add(target.key);
    const problem = await bucketProblem(target.provider, target.bucket, sources).catch(() => undefined);
    if (problem === undefined) continue;
    unusable += 1;
    warn(`warning: profile "${chain.name}": ${problem}`);
  }
  if (unusable > 0 && unusable === seen.size)
    warn(
      `warning: no bucket of profile "${chain.name}" can serve: every request will be answered 503 ` +
        `no_usable_bucket until one of the fixes above is made.`,
    );
}
