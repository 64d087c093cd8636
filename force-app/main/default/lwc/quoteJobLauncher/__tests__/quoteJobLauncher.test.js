import { createElement } from 'lwc';
import QuoteJobLauncher, { errorMessages } from 'c/quoteJobLauncher';
import { jestMockPublish, jestMockReset, subscribe, unsubscribe } from 'lightning/empApi';
import getLauncherOptions from '@salesforce/apex/QuoteJobController.getLauncherOptions';
import startQuoteJob from '@salesforce/apex/QuoteJobController.startQuoteJob';

const OPTIONS = require('./data/getLauncherOptions.json');
const EVENTS = require('./data/progressEvents.json');
const JOB_ID = EVENTS[0].data.payload.Job_Id__c;
const CHANNEL = '/event/Quote_Job_Progress__e';

jest.mock(
  '@salesforce/apex/QuoteJobController.getLauncherOptions',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);
jest.mock('@salesforce/apex/QuoteJobController.startQuoteJob', () => ({ default: jest.fn() }), {
  virtual: true,
});

/** Lets every pending promise (and the re-render it causes) settle: one macrotask turn. */
function flushPromises() {
  // eslint-disable-next-line @lwc/lwc/no-async-operation
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function mount() {
  const element = createElement('c-quote-job-launcher', { is: QuoteJobLauncher });
  document.body.appendChild(element);
  return element;
}

async function chooseFilterAndStart(element, value = 'Open opportunities') {
  const combobox = element.shadowRoot.querySelector('lightning-combobox');
  combobox.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  await flushPromises();
  element.shadowRoot.querySelector('lightning-button.start').click();
  await flushPromises();
}

describe('c-quote-job-launcher', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
    jestMockReset();
  });

  describe('saved filters', () => {
    it('lists the saved filters, with the WHERE-clause box for administrators', async () => {
      const element = mount();
      getLauncherOptions.emit(OPTIONS);
      await flushPromises();
      const combobox = element.shadowRoot.querySelector('lightning-combobox');
      expect(combobox.options.map((o) => o.value)).toEqual([
        'Closing this quarter',
        'Open opportunities',
        'Sample opportunities',
      ]);
      expect(element.shadowRoot.querySelector('lightning-textarea')).not.toBeNull();
      expect(element.shadowRoot.querySelector('lightning-button.start').disabled).toBe(true);
    });

    it('hides the WHERE-clause box from users without the permission', async () => {
      const element = mount();
      getLauncherOptions.emit({ ...OPTIONS, canUseFreeText: false });
      await flushPromises();
      expect(element.shadowRoot.querySelector('lightning-textarea')).toBeNull();
    });

    it('says so when no saved filter exists', async () => {
      const element = mount();
      getLauncherOptions.emit({ filters: [], canUseFreeText: false });
      await flushPromises();
      expect(element.shadowRoot.querySelector('.empty').textContent).toContain('No saved filter');
      expect(element.shadowRoot.querySelector('lightning-button')).toBeNull();
    });

    it('shows the error when the options cannot be read', async () => {
      const element = mount();
      getLauncherOptions.error({ message: 'Insufficient access to QuoteJobController' });
      await flushPromises();
      expect(element.shadowRoot.querySelector('.options-error').textContent).toBe(
        'Insufficient access to QuoteJobController',
      );
    });
  });

  describe('a job', () => {
    it('subscribes before starting, then shows live progress, final counts and the error sample', async () => {
      startQuoteJob.mockResolvedValue(JOB_ID);
      const element = mount();
      getLauncherOptions.emit(OPTIONS);
      await flushPromises();
      await chooseFilterAndStart(element);

      expect(subscribe).toHaveBeenCalledWith(CHANNEL, -1, expect.any(Function));
      expect(subscribe.mock.invocationCallOrder[0]).toBeLessThan(startQuoteJob.mock.invocationCallOrder[0]);
      expect(startQuoteJob).toHaveBeenCalledWith({ filterName: 'Open opportunities', whereClause: null });
      expect(element.shadowRoot.querySelector('.status').textContent).toBe('Queued');

      jestMockPublish(CHANNEL, EVENTS[0]);
      await flushPromises();
      expect(element.shadowRoot.querySelector('lightning-progress-bar').value).toBe(40);
      expect(element.shadowRoot.querySelector('.quoted').textContent).toBe('1990');
      expect(element.shadowRoot.querySelector('lightning-button.start').disabled).toBe(true);

      jestMockPublish(CHANNEL, EVENTS[1]);
      await flushPromises();
      expect(element.shadowRoot.querySelector('.status').textContent).toBe('Completed');
      expect(element.shadowRoot.querySelector('lightning-progress-bar').value).toBe(100);
      expect(element.shadowRoot.querySelector('.quoted').textContent).toBe('4980');
      expect(element.shadowRoot.querySelector('.failed').textContent).toBe('20');
      expect(element.shadowRoot.querySelector('.error-sample').textContent).toContain(
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      );
      expect(unsubscribe).toHaveBeenCalledTimes(1);
    });

    it("ignores other jobs' events", async () => {
      startQuoteJob.mockResolvedValue(JOB_ID);
      const element = mount();
      getLauncherOptions.emit(OPTIONS);
      await flushPromises();
      await chooseFilterAndStart(element);
      const other = { data: { payload: { ...EVENTS[1].data.payload, Job_Id__c: 'another-job' } } };
      jestMockPublish(CHANNEL, other);
      await flushPromises();
      expect(element.shadowRoot.querySelector('.status').textContent).toBe('Queued');
      expect(element.shadowRoot.querySelector('.counts')).toBeNull();
    });

    it('sends a free-text WHERE clause instead of a filter', async () => {
      startQuoteJob.mockResolvedValue(JOB_ID);
      const element = mount();
      getLauncherOptions.emit(OPTIONS);
      await flushPromises();
      const textarea = element.shadowRoot.querySelector('lightning-textarea');
      textarea.dispatchEvent(new CustomEvent('change', { detail: { value: 'Amount > 1000' } }));
      await flushPromises();
      element.shadowRoot.querySelector('lightning-button.start').click();
      await flushPromises();
      expect(startQuoteJob).toHaveBeenCalledWith({ filterName: null, whereClause: 'Amount > 1000' });
    });

    it('shows why a job could not start and stops listening', async () => {
      startQuoteJob.mockRejectedValue({ body: { message: 'Only administrators may enter a WHERE clause' } });
      const element = mount();
      getLauncherOptions.emit(OPTIONS);
      await flushPromises();
      await chooseFilterAndStart(element);
      expect(element.shadowRoot.querySelector('.start-error').textContent).toBe(
        'Only administrators may enter a WHERE clause',
      );
      expect(element.shadowRoot.querySelector('.job')).toBeNull();
      expect(unsubscribe).toHaveBeenCalledTimes(1);
    });

    it('marks a failed job as failed', async () => {
      startQuoteJob.mockResolvedValue(JOB_ID);
      const element = mount();
      getLauncherOptions.emit(OPTIONS);
      await flushPromises();
      await chooseFilterAndStart(element);
      jestMockPublish(CHANNEL, {
        data: { payload: { ...EVENTS[1].data.payload, State__c: 'failed', Percent__c: 60 } },
      });
      await flushPromises();
      expect(element.shadowRoot.querySelector('.status').textContent).toBe('Failed');
    });
  });

  describe('errorMessages', () => {
    it('reads the message of every error shape Apex and wire adapters produce', () => {
      expect(errorMessages(undefined)).toEqual([]);
      expect(errorMessages({ body: [{ message: 'a' }, { message: 'b' }] })).toEqual(['a', 'b']);
      expect(errorMessages({ body: { message: 'c' } })).toEqual(['c']);
      expect(errorMessages(new Error('d'))).toEqual(['d']);
      expect(errorMessages({})).toEqual(['Unknown error']);
    });
  });

  it('is accessible with data', async () => {
    startQuoteJob.mockResolvedValue(JOB_ID);
    const element = mount();
    getLauncherOptions.emit(OPTIONS);
    await flushPromises();
    await chooseFilterAndStart(element);
    jestMockPublish(CHANNEL, EVENTS[1]);
    await flushPromises();
    await expect(element).toBeAccessible();
  });

  it('is accessible with an error', async () => {
    const element = mount();
    getLauncherOptions.error({ message: 'boom' });
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});
