export { chooseLanguage, DEFAULT_LANGUAGE, formatInstantFor, isLanguage, Language, LANGUAGES, supportedLanguage, textDirection, utcText } from './languages';
export { pageText, PageKey, renderPage } from './html-page';
export { PAGE_STRINGS, PageStrings } from './page-strings';
