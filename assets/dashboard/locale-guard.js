// Runs before the chart library and the page's modules. A browser started under the POSIX
// locale (LANG=C.UTF-8, as in containers and minimal sessions) reports its language as
// "en-US@posix", which every Intl constructor refuses with a RangeError: the chart library's
// number format at load, and every date or number the page shows, broke. The page then sees the
// nearest language Intl accepts instead.
(() => {
  const accepted = (language) => {
    try {
      new Intl.NumberFormat(language);
      new Intl.DateTimeFormat(language);
      return true;
    } catch {
      return false;
    }
  };
  const reported = navigator.language;
  if (accepted(reported)) return;
  const usable = [
    reported.split('@')[0],
    ...navigator.languages.map((language) => language.split('@')[0]),
    'en-US',
  ].find(accepted);
  Object.defineProperty(navigator, 'language', { get: () => usable, configurable: true });
  Object.defineProperty(navigator, 'languages', { get: () => Object.freeze([usable]), configurable: true });
  document.documentElement.dataset.locale = usable;
})();
