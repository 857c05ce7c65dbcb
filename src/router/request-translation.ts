import type { WireFormat } from '../core/types.js';
import type { InternalRequest } from '../formats/internal.js';
import { decodeClientRequest, encodeUpstreamRequest, type TranslatedRequest } from '../formats/translate-exchange.js';
import type { Target } from '../profiles/types.js';
import { providerDefinitions, speaksFormat } from '../providers/registry.js';
import type { ProxyRequest } from './proxy-request.js';
import { targetModel } from './target-model.js';

/**
 * Translated bodies of one client request, made on first need and kept for the next bucket of
 * the same format and model (a failover usually tries several buckets of one provider).
 */
export class RequestTranslations {
  private readonly decoded = new WeakMap<
    ProxyRequest,
    { internal: InternalRequest; encoded: Map<string, TranslatedRequest> }
  >();

  /**
   * The request as `target` must receive it; undefined when its provider speaks the client's format (the fast path).
   */
  for(request: ProxyRequest, target: Target): TranslatedRequest | undefined {
    if (speaksFormat(target.provider, request.format)) return undefined;
    const definition = providerDefinitions[target.provider];
    const format: WireFormat = definition.formats[0] as WireFormat;
    let entry = this.decoded.get(request);
    if (!entry) {
      const internal = decodeClientRequest(request.format, request.body, {
        pathModel: request.clientModel,
        stream: request.stream,
      });
      entry = { internal, encoded: new Map() };
      this.decoded.set(request, entry);
    }
    const model = targetModel(target, request.clientModel);
    const key = `${format}\u0000${model ?? ''}`;
    let translated = entry.encoded.get(key);
    if (!translated) {
      translated = encodeUpstreamRequest(format, entry.internal, model, definition.streamsOnly === true);
      entry.encoded.set(key, translated);
    }
    return translated;
  }
}
