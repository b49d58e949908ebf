/**
 * docusaurus-plugin-bookctl: the bookctl study assistant on every page of a Docusaurus site.
 *
 *   plugins: [['docusaurus-plugin-bookctl', {serverUrl: 'http://127.0.0.1:8765'}]]
 *
 * - getThemePath(): a `Root` wrapper (hooks and context live there) mounting the assistant's launcher.
 * - getClientModules(): `onRouteDidUpdate` tells the assistant which doc, version and locale is open.
 * - The options reach the browser as the plugin's global data.
 */
import path from 'path';
import type {LoadContext, Plugin} from '@docusaurus/types';
import type {Options} from './options';

export type {PluginOptions, Options, AuthOptions} from './options';
export {validateOptions} from './options';

export const PLUGIN_NAME = 'docusaurus-plugin-bookctl';

export default function pluginBookctl(_context: LoadContext, options: Options): Plugin<void> {
  return {
    name: PLUGIN_NAME,
    getThemePath() {
      return path.resolve(__dirname, './theme');
    },
    getTypeScriptThemePath() {
      return path.resolve(__dirname, '../src/theme');
    },
    getClientModules() {
      return [path.resolve(__dirname, './client/routeTracker')];
    },
    async contentLoaded({actions}) {
      actions.setGlobalData(options);
    },
  };
}
