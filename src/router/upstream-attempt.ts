import type { Credential } from '../core/types.js';
import { readErrorBody } from '../formats/error-body.js';
import type { Target } from '../profiles/types.js';
import { pickForwardedHeaders } from '../providers/forward-headers.js';
import type { OutgoingRequest } from '../providers/types.js';
import { type AnswerDelivery, type AttemptResult, type AttemptTiming, attemptReasonOf } from './answer-delivery.js';
import type { AttemptOutcome } from './attempt-outcome.js';
import { classifyAnswer } from './classify.js';
import { describeNetworkFailure } from './network-cause.js';
import type { ProxyRequest } from './proxy-request.js';
import { QuotaReadings } from './quota-reading.js';
import { readErrorTextBounded } from './read-body.js';
import { relayedErrorAnswer, secretsOf, withoutSecrets } from './relayed-error.js';
import { RequestTranslations } from './request-translation.js';
import { endBody, ownErrorAnswer } from './response-writer.js';
import type { RouterDependencies } from './router-dependencies.js';
import { targetModel } from './target-model.js';
import type { UpstreamClient } from './upstream-client.js';
import { wrongPathAdvice } from './wrong-path.js';

/**
 * One call to one bucket: the request built for its provider (translated if need be), sent, and
 * its answer relayed, or classified into the attempt loop's next move.
 */
export class UpstreamAttempts {
  private readonly translations = new RequestTranslations();
  private readonly quotaReadings: QuotaReadings;

  constructor(
    private readonly dependencies: RouterDependencies,
    private readonly delivery: AnswerDelivery,
  ) {
    this.quotaReadings = new QuotaReadings(dependencies.providers, dependencies.quota);
  }

  /** One upstream call and what to do with its answer. */
  async attempt(
    request: ProxyRequest,
    target: Target,
    credential: Credential,
    trail: AttemptOutcome[],
    timing: AttemptTiming,
  ): Promise<AttemptResult> {
    const { providers, upstream, clock } = this.dependencies;
    const provider = providers[target.provider];
    const translation = this.translations.for(request, target);
    let outgoing: OutgoingRequest | undefined = provider.definition.buildRequest({
      format: translation?.format ?? request.format,
      path: translation?.path ?? request.path,
      body: translation?.body ?? request.body,
      rawBody: translation?.rawBody ?? request.rawBody,
      model: targetModel(target, request.clientModel),
      stream: translation?.stream ?? request.stream,
      forwardHeaders: pickForwardedHeaders(request.headers, provider.definition.forwardedHeaders),
      credential,
      settings: provider.settings,
    });
    outgoing.headers['accept-encoding'] = 'identity';

    let answer: Awaited<ReturnType<UpstreamClient['send']>>;
    try {
      answer = await upstream.send(outgoing, timing.timer.signal);
    } catch (error) {
      const interrupted = this.delivery.interrupted(request, target, timing, trail, 0);
      if (interrupted) return interrupted;
      this.delivery.recordCall(request, target, { status: 0 });
      const cause = describeNetworkFailure(
        error,
        credential.kind === 'oauth' ? [credential.accessToken] : [credential.apiKey],
      );
      trail.push({ target, status: 0, reason: 'network', cause });
      return { kind: 'retry', reason: cause };
    }

    // Not kept while the answer is relayed: a stream can last minutes, and undici holds its own copy of the bytes.
    const upstreamUrl = outgoing.url;
    outgoing = undefined;
    const status = answer.statusCode;
    // Every answer says how much of the account's windows is used, not only the last one before the wall.
    this.quotaReadings.fromHeaders(target, answer.headers, clock.now());
    const usedAccessToken = credential.kind === 'oauth' ? credential.accessToken : undefined;
    if (status >= 200 && status < 300) {
      const result = await this.delivery.deliver(request, target, credential, answer, trail, timing, translation);
      // It served: whatever said it needed login (stats.json, a login replaced since) no longer holds.
      if (request.record.servedBy === target && this.dependencies.states.get(target.key)?.status === 'needs-login')
        this.dependencies.states.clear(target.key);
      return result;
    }

    const { text: body, truncated } = await readErrorTextBounded(answer.body);
    const interrupted = this.delivery.interrupted(request, target, timing, trail, status);
    if (interrupted) return interrupted;
    if (status === 429 && this.quotaReadings.readsErrors(target))
      this.quotaReadings.fromError(target, readErrorBody(body), clock.now());
    const classification = classifyAnswer({
      provider: target.provider,
      status,
      headers: answer.headers,
      body,
      now: clock.now(),
    });
    this.delivery.recordCall(request, target, { status });
    trail.push({ target, status, reason: attemptReasonOf(classification, status) });
    if (classification.kind === 'client-error') {
      // The provider's words are quoted in the advice: cleared of the credential first, as a relayed body is.
      const said = withoutSecrets(body, secretsOf(credential, usedAccessToken));
      const advice = wrongPathAdvice(target.provider, status, said, upstreamUrl, provider.settings.baseUrl);
      if (advice !== undefined) {
        // Every bucket of the provider would get the same 404: the fix is config.yaml's, said in the client's format.
        const answer = ownErrorAnswer(request.format, { status, message: advice, code: 'upstream_path_not_found' });
        this.delivery.writeHead(request, status, target, trail, {
          ...answer.headers,
          'content-length': String(Buffer.byteLength(answer.body)),
        });
        endBody(request.response, answer.body);
        return { kind: 'done' };
      }
      // Not the bucket's fault: the client gets the provider's own answer, in the client's format.
      const relayed = relayedErrorAnswer(
        request.format,
        target,
        { status, headers: answer.headers, text: body, truncated },
        secretsOf(credential, usedAccessToken),
        translation,
      );
      this.delivery.writeHead(request, status, target, trail, relayed.headers);
      endBody(request.response, relayed.body);
      return { kind: 'done' };
    }
    return this.delivery.applyClassification(target, classification, usedAccessToken);
  }
}
