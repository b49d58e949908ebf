/// <reference types="@docusaurus/module-type-aliases" />
// The theme components this plugin provides, for `@theme/...` imports (here and in sites that swizzle them).
declare module '@theme/BookctlAssistant' {
  import type {ReactNode} from 'react';

  export default function BookctlAssistant(): ReactNode;
}

declare module '@theme/BookctlAccount' {
  import type {ReactNode} from 'react';

  export default function BookctlAccount(props: {mobile?: boolean}): ReactNode;
}

declare module '@theme-init/NavbarItem/ComponentTypes' {
  import type {ComponentType} from 'react';

  const ComponentTypes: {[type: string]: ComponentType<any>};
  export default ComponentTypes;
}

declare module '*.module.css' {
  const classes: {readonly [key: string]: string};
  export default classes;
}

declare module '*.css';
