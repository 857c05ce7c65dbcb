import type { WireFormat } from '../core/types.js';
import type { Chain } from '../profiles/types.js';
import { speaksFormat } from '../providers/registry.js';

/**
 * A profile's targets that can serve a format without translation (token counting exists in
 * Anthropic's format alone), cached per chain: a chain object lives as long as its profile.
 */
export class FormatChains {
  private readonly byChain = new WeakMap<Chain, Map<WireFormat, Chain>>();

  speaking(chain: Chain, format: WireFormat): Chain {
    let byFormat = this.byChain.get(chain);
    if (!byFormat) {
      byFormat = new Map();
      this.byChain.set(chain, byFormat);
    }
    let filtered = byFormat.get(format);
    if (!filtered) {
      const targets = chain.targets.filter((target) => speaksFormat(target.provider, format));
      filtered = targets.length === chain.targets.length ? chain : { ...chain, targets };
      byFormat.set(format, filtered);
    }
    return filtered;
  }
}
