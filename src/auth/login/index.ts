export { LoginDeniedError } from './login-denied-error.js';
export { LoginFailedError } from './login-failed-error.js';
export type { LoginContext, LoginIo } from './login-io.js';
export { LoginTimeoutError } from './login-timeout-error.js';
export { loginToProvider, type ProviderLoginOptions } from './provider-login.js';
