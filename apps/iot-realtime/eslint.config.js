import base from '@ecars/eslint-config/base';

export default base;
