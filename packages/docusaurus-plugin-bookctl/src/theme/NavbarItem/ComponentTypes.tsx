/**
 * The navbar's item types, plus `custom-bookctlAccount` (the reader's account). Wraps the first
 * theme's map (theme-classic's) the way theme authors wrap components, through `@theme-init`.
 */
import ComponentTypes from '@theme-init/NavbarItem/ComponentTypes';
import BookctlAccount from '@theme/BookctlAccount';

export default {
  ...ComponentTypes,
  'custom-bookctlAccount': BookctlAccount,
};
