/** What a site's own code may use: `import {registerTokenProvider} from 'docusaurus-plugin-bookctl/client'`. */
export {registerTokenProvider, clearToken} from './auth';
export type {TokenProvider} from './auth';
export {getPageContext, subscribePageContext} from './pageContext';
export type {PageContext} from './pageContext';
export {openAssistant} from './launcher';
