/**
 * The one internal form every wire format is translated through: a request, a response and the
 * events of a stream. Fields that only one format knows are absent here on purpose (see
 * docs/translation.md for what is dropped).
 */
import type { Usage } from './types.js';

/** Why the model stopped, in words every format maps to its own. */
export type StopReason = 'end' | 'max-tokens' | 'stop-sequence' | 'tool-use' | 'content-filter' | 'error';

export interface TextPart {
  type: 'text';
  text: string;
}

/** An image given inline (base64 `data`) or by URL. */
export type ImagePart =
  | { type: 'image'; source: 'base64'; mediaType: string; data: string }
  | { type: 'image'; source: 'url'; url: string };

export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  /** The arguments as JSON text (an object), exactly as the model produced them. */
  arguments: string;
}

export interface ToolResultPart {
  type: 'tool-result';
  callId: string;
  /** The called tool's name: Gemini matches results by name, the others by id. */
  name: string | undefined;
  /** The result as text (structured results are given as their JSON). */
  content: string;
  isError: boolean;
}

/** The model's visible reasoning; `signature` lets Anthropic verify it when it comes back. */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  signature: string | undefined;
}

export type MessagePart = TextPart | ImagePart | ToolCallPart | ToolResultPart | ReasoningPart;

export interface InternalMessage {
  role: 'user' | 'assistant';
  parts: MessagePart[];
}

export interface ToolDefinition {
  name: string;
  description: string | undefined;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export type ToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

/** How much the model may think: an effort level, a token budget, or both (each format takes what it knows). */
export interface ReasoningSettings {
  effort: 'minimal' | 'low' | 'medium' | 'high' | undefined;
  budgetTokens: number | undefined;
}

/**
 * Structured output: the answer must be one JSON document, any object (`json-object`) or one
 * matching a JSON Schema (`json-schema`; `name` and `strict` are OpenAI's, kept when present).
 */
export type ResponseFormat =
  | { type: 'json-object' }
  | { type: 'json-schema'; name: string | undefined; schema: Record<string, unknown>; strict: boolean | undefined };

export interface InternalRequest {
  model: string | undefined;
  /** System prompt text (several system blocks are joined by blank lines). */
  system: string | undefined;
  messages: InternalMessage[];
  tools: ToolDefinition[];
  toolChoice: ToolChoice | undefined;
  maxTokens: number | undefined;
  temperature: number | undefined;
  topP: number | undefined;
  topK: number | undefined;
  stopSequences: string[];
  reasoning: ReasoningSettings | undefined;
  /** Structured output (JSON mode); undefined for free text. */
  responseFormat: ResponseFormat | undefined;
  stream: boolean;
}

export type ResponsePart = TextPart | ToolCallPart | ReasoningPart;

export interface InternalResponse {
  id: string;
  model: string;
  parts: ResponsePart[];
  stopReason: StopReason;
  usage: Usage;
}

/** An error as every format can state it: its HTTP status, a message, the provider's code. */
export interface InternalError {
  status: number;
  message: string;
  code: string | undefined;
}

/**
 * One step of a streamed answer. Blocks are implicit: a text or reasoning delta continues the
 * open block of its kind, a `tool-call-start` opens a new call, and `finish` closes everything.
 */
export type StreamEvent =
  | { type: 'start'; id: string; model: string; inputTokens: number }
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'reasoning-signature'; signature: string }
  | { type: 'tool-call-start'; id: string; name: string }
  /** Part of the arguments of the call most recently started. */
  | { type: 'tool-call-delta'; arguments: string }
  | { type: 'finish'; stopReason: StopReason; usage: Usage }
  | { type: 'error'; error: InternalError };
