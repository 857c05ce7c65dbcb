/** An upstream answer grew past what switchyard holds of it (config.yaml `routing.answerLimitBytes`). */
export class AnswerTooLargeError extends Error {
  override readonly name = 'AnswerTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`The upstream answer is larger than the limit of ${limitBytes} bytes.`);
  }
}
