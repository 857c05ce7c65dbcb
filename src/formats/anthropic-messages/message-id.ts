/** Anthropic message ids start with `msg_`; another provider's id keeps its text behind the prefix. */
export function anthropicMessageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id}`;
}
