/** Chat completion ids start with `chatcmpl-`; another provider's id keeps its text behind the prefix. */
export function chatCompletionId(id: string): string {
  return id.startsWith('chatcmpl-') ? id : `chatcmpl-${id}`;
}
