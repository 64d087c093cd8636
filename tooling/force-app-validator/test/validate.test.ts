import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReport, validateProject, type CheckName, type Finding } from '../src/index.js';
import { main } from '../src/cli.js';

const CLEAN = fileURLToPath(new URL('./fixtures/clean', import.meta.url));
const DEFAULT = 'force-app/main/default';
const NODE_CHECKS: CheckName[] = ['convert', 'apex-syntax', 'api-version', 'references', 'apex-tests'];

/** A change to the clean fixture: replace `from` by `to` in `file`, or create `file` with `to`. */
interface Mutation {
  readonly file: string;
  readonly from?: string;
  readonly to: string;
}

const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the clean fixture with the mutations applied. */
function mutated(...mutations: Mutation[]): string {
  const root = mkdtempSync(join(tmpdir(), 'force-app-fixture-'));
  copies.push(root);
  cpSync(CLEAN, root, { recursive: true });
  for (const { file, from, to } of mutations) {
    const path = join(root, file);
    if (from === undefined) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, to);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    if (!text.includes(from)) throw new Error(`fixture ${file} does not contain ${from}`);
    writeFileSync(path, text.replace(from, to));
  }
  return root;
}

async function findings(root: string, checks: CheckName[]): Promise<Finding[]> {
  return (await validateProject(root, { checks })).flatMap((r) => r.findings);
}

const CLASS_META = `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>64.0</apiVersion>
    <status>Active</status>
</ApexClass>
`;

describe('force-app-validate', () => {
  it('finds nothing in a valid project', async () => {
    expect(await findings(CLEAN, NODE_CHECKS)).toEqual([]);
  });

  // `only: false`: the error also hides what follows it (a class that does not parse has no methods).
  const cases: {
    name: string;
    mutations: Mutation[];
    expected: Partial<Omit<Finding, 'message'>> & { message: RegExp };
    only?: false;
  }[] = [
    {
      name: 'an Apex syntax error',
      mutations: [
        { file: `${DEFAULT}/classes/CarController.cls`, from: 'return [SELECT', to: 'return [[SELECT' },
      ],
      expected: {
        check: 'apex-syntax',
        file: `${DEFAULT}/classes/CarController.cls`,
        line: 12,
        message: /column/,
      },
      only: false,
    },
    {
      name: 'a -meta.xml with another API version',
      mutations: [{ file: `${DEFAULT}/classes/CarController.cls-meta.xml`, from: '64.0', to: '58.0' }],
      expected: {
        check: 'api-version',
        file: `${DEFAULT}/classes/CarController.cls-meta.xml`,
        line: 3,
        message: /58\.0 differs .* 64\.0/,
      },
    },
    {
      name: 'an unknown field in Apex SOQL',
      mutations: [
        { file: `${DEFAULT}/classes/CarController.cls`, from: 'Name, Color__c', to: 'Name, Colour__c' },
      ],
      expected: {
        check: 'references',
        file: `${DEFAULT}/classes/CarController.cls`,
        line: 12,
        message: /Car__c has no field Colour__c/,
      },
    },
    {
      name: 'an unknown relationship in Apex SOQL',
      mutations: [{ file: `${DEFAULT}/classes/CarController.cls`, from: 'Owner.Name', to: 'Driver__r.Name' }],
      expected: { check: 'references', line: 12, message: /has no relationship Driver__r/ },
    },
    {
      name: 'an unknown field in an LWC @salesforce/schema import',
      mutations: [
        { file: `${DEFAULT}/lwc/carList/carList.js`, from: 'Car__c.Color__c', to: 'Car__c.Paint__c' },
      ],
      expected: {
        check: 'references',
        file: `${DEFAULT}/lwc/carList/carList.js`,
        line: 3,
        message: /no field Paint__c/,
      },
    },
    {
      name: 'an LWC @salesforce/apex import of a method that is not @AuraEnabled',
      mutations: [
        { file: `${DEFAULT}/classes/CarController.cls`, from: '@AuraEnabled(cacheable=true)', to: '' },
      ],
      expected: {
        check: 'references',
        file: `${DEFAULT}/lwc/carList/carList.js`,
        line: 2,
        message: /not @AuraEnabled/,
      },
    },
    {
      name: 'an unknown field in a Flow',
      mutations: [
        {
          file: `${DEFAULT}/flows/Find_Car.flow-meta.xml`,
          from: '<field>Color__c</field>',
          to: '<field>Paint__c</field>',
        },
      ],
      expected: {
        check: 'references',
        file: `${DEFAULT}/flows/Find_Car.flow-meta.xml`,
        line: 28,
        message: /Car__c has no field Paint__c/,
      },
    },
    {
      name: 'a Flow Apex action on a class without @InvocableMethod',
      mutations: [
        { file: `${DEFAULT}/classes/CarActions.cls`, from: "@InvocableMethod(label='Count Colors')", to: '' },
      ],
      expected: {
        check: 'references',
        file: `${DEFAULT}/flows/Find_Car.flow-meta.xml`,
        line: 8,
        message: /CarActions has no @InvocableMethod/,
      },
    },
    {
      name: 'a permission set granting a required field',
      mutations: [
        {
          file: `${DEFAULT}/permissionsets/Car_User.permissionset-meta.xml`,
          from: 'Car__c.Color__c',
          to: 'Car__c.Code__c',
        },
      ],
      expected: { check: 'references', line: 9, message: /Car__c\.Code__c is required/ },
    },
    {
      name: 'a permission set granting an Apex class that does not exist',
      mutations: [
        {
          file: `${DEFAULT}/permissionsets/Car_User.permissionset-meta.xml`,
          from: '>CarController<',
          to: '>CarService<',
        },
      ],
      expected: { check: 'references', line: 4, message: /no Apex class CarService/ },
    },
    {
      name: 'a test method that asserts only inside catch',
      mutations: [
        {
          file: `${DEFAULT}/classes/CarControllerTest.cls`,
          from: "Assert.areEqual(1, cars.size(), 'one red car');",
          to: "try { cars.clear(); } catch (Exception e) { Assert.fail('threw'); }",
        },
      ],
      expected: {
        check: 'apex-tests',
        file: `${DEFAULT}/classes/CarControllerTest.cls`,
        line: 4,
        message: /returnsCarsOfTheColour asserts nothing/,
      },
    },
    {
      name: 'a class without a test class',
      mutations: [
        { file: `${DEFAULT}/classes/Orphan.cls`, to: 'public with sharing class Orphan {}\n' },
        { file: `${DEFAULT}/classes/Orphan.cls-meta.xml`, to: CLASS_META },
      ],
      expected: {
        check: 'apex-tests',
        file: `${DEFAULT}/classes/Orphan.cls`,
        line: 1,
        message: /no test class OrphanTest/,
      },
    },
    {
      name: 'malformed XML',
      mutations: [{ file: `${DEFAULT}/tabs/Car__c.tab-meta.xml`, from: '</motif>', to: '</motive>' }],
      expected: {
        check: 'convert',
        file: `${DEFAULT}/tabs/Car__c.tab-meta.xml`,
        line: 4,
        message: /malformed XML/,
      },
    },
    {
      name: 'a file source-deploy-retrieve cannot convert',
      mutations: [
        {
          file: `${DEFAULT}/widgets/Gadget.widget-meta.xml`,
          to: '<?xml version="1.0" encoding="UTF-8"?>\n<Widget/>\n',
        },
      ],
      expected: { check: 'convert', message: /Gadget\.widget-meta\.xml/ },
    },
  ];

  it.each(cases)('reports $name with its file and line', async ({ mutations, expected, only }) => {
    const { message, ...where } = expected;
    const found = await findings(mutated(...mutations), NODE_CHECKS);
    if (only === false) expect(found.length).toBeGreaterThanOrEqual(1);
    else expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject(where);
    expect(found[0]!.message).toMatch(message);
  });

  it('reports unknown Apex members (apex-ls) and severity 1-2 PMD violations with file and line', async () => {
    const root = mutated(
      {
        file: `${DEFAULT}/classes/CarControllerTest.cls`,
        from: 'CarController.getCars(',
        to: 'CarController.getCarz(',
      },
      { file: `${DEFAULT}/classes/CarController.cls`, from: ' WITH USER_MODE', to: '' },
    );
    const found = await findings(root, ['apex-ls', 'pmd']);
    expect(found).toContainEqual(
      expect.objectContaining({
        check: 'apex-ls',
        file: `${DEFAULT}/classes/CarControllerTest.cls`,
        line: 7,
      }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({
        check: 'pmd',
        file: `${DEFAULT}/classes/CarController.cls`,
        line: 12,
        message: expect.stringContaining('ApexCRUDViolation'),
      }),
    );
  }, 180_000);

  it('writes a Jest-shaped report that counts one test per check', () => {
    const report = buildReport([
      { name: 'convert', findings: [], durationMs: 5 },
      { name: 'pmd', findings: [{ check: 'pmd', file: 'a.cls', line: 3, message: 'x' }], durationMs: 9 },
    ]);
    expect(report).toMatchObject({
      success: false,
      numPassedTests: 1,
      numFailedTests: 1,
      numRuntimeErrorTestSuites: 0,
    });
    expect(report.testResults[0]!.assertionResults[1]!.failureMessages).toEqual(['a.cls:3: [pmd] x']);
  });

  it('answers --help and refuses an unknown check without a stack trace', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(await main(['--check', 'nope'])).toBe(2);
    expect(await main(['--project', join(tmpdir(), 'no-such-project')])).toBe(2);
  });
});
