/**
 * A `Root` wrapper, made the way `docusaurus swizzle --wrap` makes one: the original Root, plus the
 * assistant beside it. Root stays mounted across navigations, so the chat keeps its state while the
 * reader moves between pages. A theme wraps the first theme's Root through `@theme-init/Root`
 * (`@theme-original/Root` would be this file itself); a site can still swizzle Root --wrap on top.
 */
import React, {type ReactNode} from 'react';
import Root from '@theme-init/Root';
import type RootType from '@theme/Root';
import type {WrapperProps} from '@docusaurus/types';
import BookctlAssistant from '@theme/BookctlAssistant';

type Props = WrapperProps<typeof RootType>;

export default function RootWrapper(props: Props): ReactNode {
  return (
    <>
      <Root {...props} />
      <BookctlAssistant />
    </>
  );
}
