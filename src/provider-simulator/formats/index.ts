import type { SimulatedFormat } from '../types.js';
import { anthropicAnswers } from './anthropic.js';
import { chatAnswers } from './chat.js';
import type { FormatAnswers } from './format.js';
import { geminiAnswers } from './gemini.js';
import { responsesAnswers } from './responses.js';

/** Each wire format's answers, by format. */
export const formatAnswers: Record<SimulatedFormat, FormatAnswers> = {
  anthropic: anthropicAnswers,
  chat: chatAnswers,
  responses: responsesAnswers,
  gemini: geminiAnswers,
};
