import type { WireFormat } from '../core/types.js';
import { decodeClientRequest, encodeUpstreamRequest, type TranslatedRequest } from '../formats/translate-exchange.js';
import type { Target } from '../profiles/types.js';
import { providerDefinitions, speaksFormat } from '../providers/registry.js';
import type { ProxyRequest } from './proxy-request.js';
import { targetModel } from './target-model.js';

/**
 * Translated bodies of one client request, made on first need and kept on the request for the next
 * bucket of the same format and model (a failover usually tries several buckets of one provider),
 * until the answer is committed (releaseBody).
 */
export class RequestTranslations {
  /**
   * The request as `target` must receive it; undefined when its provider speaks the client's format (the fast path).
   */
  for(request: ProxyRequest, target: Target): TranslatedRequest | undefined {
    if (speaksFormat(target.provider, request.format)) return undefined;
    const definition = providerDefinitions[target.provider];
    const format: WireFormat = definition.formats[0] as WireFormat;
    let entry = request.translated;
    if (!entry) {
      const internal = decodeClientRequest(request.format, request.body, {
        pathModel: request.clientModel,
        stream: request.stream,
      });
      entry = { internal, encoded: new Map() };
      request.translated = entry;
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
