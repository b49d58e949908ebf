/// <reference types="@docusaurus/module-type-aliases" />
// The theme components this plugin provides, for `@theme/...` imports (here and in sites that swizzle them).
declare module '@theme/BookctlAssistant' {
  import type {ReactNode} from 'react';

  export default function BookctlAssistant(): ReactNode;
}

declare module '*.module.css' {
  const classes: {readonly [key: string]: string};
  export default classes;
}

declare module '*.css';
