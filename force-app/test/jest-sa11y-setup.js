// Registers @sa11y/jest's toBeAccessible() matcher for every LWC test.
import { registerSa11yMatcher } from '@sa11y/jest';

registerSa11yMatcher();
