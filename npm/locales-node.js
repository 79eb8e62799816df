// Every Traditional Chinese table, for the Node entries, which install them at import (in browsers, loadLocale
// downloads the one a page needs).
import zhHant from './locales/zh-Hant.js';
import zhHk from './locales/zh-HK.js';
import zhTw from './locales/zh-TW.js';

export default [zhHant, zhHk, zhTw];
