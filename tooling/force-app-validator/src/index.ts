/** @ecars/force-app-validator: offline validation of a Salesforce DX project. */
export { CHECK_NAMES, formatFinding, type CheckName, type Finding } from './findings.js';
export { loadProject, type SfdxProject } from './project.js';
export { parseApex, type ApexMethod, type ApexSoql, type ApexUnit } from './apex/apex-unit.js';
export { buildReport, type ValidationReport } from './report.js';
export { validateProject, type CheckResult, type ValidateOptions } from './validate.js';
