/**
 * Check `apex-tests`: Apex tests cannot run offline, so what can be seen in the source is
 * checked: every class has a test class (`<Name>Test`), and every test method asserts something
 * outside a `catch` clause (`Assert.*` or `System.assert*`). A test that only asserts in `catch`
 * passes when nothing throws, which is what the sample's tests did.
 */
import type { ApexFile } from '../apex/apex-sources.js';
import type { Finding } from '../findings.js';
import { projectPath, type SfdxProject } from '../project.js';

/** Runs the check over the project's Apex classes. */
export function checkApexTests(project: SfdxProject, apex: readonly ApexFile[]): Finding[] {
  const findings: Finding[] = [];
  const classes = apex.filter((f) => f.unit.kind === 'class' && f.unit.syntaxErrors.length === 0);
  const testClasses = new Set(
    classes.filter((f) => f.unit.annotations.includes('istest')).map((f) => f.unit.name.toLowerCase()),
  );
  for (const file of classes) {
    const at = projectPath(project, file.path);
    if (file.unit.annotations.includes('istest')) {
      const tests = file.unit.methods.filter((m) => m.annotations.includes('istest') || m.testMethodModifier);
      if (tests.length === 0) {
        findings.push({
          check: 'apex-tests',
          file: at,
          line: 1,
          message: `test class ${file.unit.name} has no test method`,
        });
      }
      for (const method of tests) {
        if (method.assertions === 0) {
          findings.push({
            check: 'apex-tests',
            file: at,
            line: method.line,
            message: `test method ${method.name} asserts nothing outside a catch clause (use Assert.areEqual(expected, actual, message))`,
          });
        }
      }
    } else if (!testClasses.has(`${file.unit.name.toLowerCase()}test`)) {
      findings.push({
        check: 'apex-tests',
        file: at,
        line: 1,
        message: `class ${file.unit.name} has no test class ${file.unit.name}Test`,
      });
    }
  }
  return findings;
}
