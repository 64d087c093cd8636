import { preset } from '@ecars/vitest-config';

export default preset();
