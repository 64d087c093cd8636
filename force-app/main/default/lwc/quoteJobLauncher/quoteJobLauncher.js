import { LightningElement, wire } from 'lwc';
import { subscribe, unsubscribe, onError } from 'lightning/empApi';
import getLauncherOptions from '@salesforce/apex/QuoteJobController.getLauncherOptions';
import startQuoteJob from '@salesforce/apex/QuoteJobController.startQuoteJob';

/** Platform event the job worker publishes while a job runs (at most once a second, and at the end). */
export const PROGRESS_CHANNEL = '/event/Quote_Job_Progress__e';
const FINAL_STATES = new Set(['completed', 'failed']);

/** The messages of an Apex/wire error, whatever its shape. */
export function errorMessages(error) {
  if (!error) return [];
  const body = error.body;
  if (Array.isArray(body)) return body.map((item) => item.message);
  if (body && typeof body.message === 'string') return [body.message];
  if (typeof error.message === 'string') return [error.message];
  return ['Unknown error'];
}

/**
 * Starts a quote pricing job on Heroku for a saved filter (or, for administrators, a WHERE
 * clause) and shows its live progress from Quote_Job_Progress__e events.
 */
export default class QuoteJobLauncher extends LightningElement {
  filters = [];
  canUseFreeText = false;
  optionsError;
  selectedFilter;
  whereClause = '';
  startError;
  starting = false;
  jobId;
  progress;
  subscription;

  @wire(getLauncherOptions)
  wiredOptions({ data, error }) {
    if (data) {
      this.filters = data.filters.map((f) => ({
        label: f.label,
        value: f.value,
        description: f.whereClause,
      }));
      this.canUseFreeText = data.canUseFreeText;
      this.optionsError = undefined;
    } else if (error) {
      this.filters = [];
      this.optionsError = error;
    }
  }

  connectedCallback() {
    onError((error) => {
      this.startError = { message: `Live progress is unavailable: ${JSON.stringify(error)}` };
    });
  }

  disconnectedCallback() {
    this.stopListening();
  }

  get hasFilters() {
    return this.filters.length > 0;
  }

  get optionsErrorMessages() {
    return errorMessages(this.optionsError).join(' ');
  }

  get startErrorMessages() {
    return errorMessages(this.startError).join(' ');
  }

  get startDisabled() {
    return this.starting || this.running || (!this.selectedFilter && !this.whereClause.trim());
  }

  get running() {
    return Boolean(this.jobId) && !(this.progress && FINAL_STATES.has(this.progress.state));
  }

  get percent() {
    return this.progress ? this.progress.percent : 0;
  }

  get finished() {
    return Boolean(this.progress) && FINAL_STATES.has(this.progress.state);
  }

  get failedJob() {
    return Boolean(this.progress) && this.progress.state === 'failed';
  }

  get statusLabel() {
    if (!this.progress) return 'Queued';
    return this.progress.state.charAt(0).toUpperCase() + this.progress.state.slice(1);
  }

  handleFilterChange(event) {
    this.selectedFilter = event.detail.value;
    this.whereClause = '';
  }

  handleWhereChange(event) {
    this.whereClause = event.detail.value;
    if (this.whereClause) this.selectedFilter = undefined;
  }

  async handleStart() {
    this.starting = true;
    this.startError = undefined;
    this.progress = undefined;
    try {
      // Subscribe before starting, so the first events of a fast job are not missed.
      await this.listen();
      this.jobId = await startQuoteJob({
        filterName: this.selectedFilter ?? null,
        whereClause: this.selectedFilter ? null : this.whereClause,
      });
    } catch (error) {
      this.startError = error;
      this.stopListening();
    } finally {
      this.starting = false;
    }
  }

  async listen() {
    if (this.subscription) return;
    this.subscription = await subscribe(PROGRESS_CHANNEL, -1, (message) => this.handleProgress(message));
  }

  handleProgress(message) {
    const event = message.data.payload;
    if (!this.jobId || event.Job_Id__c !== this.jobId) return;
    this.progress = {
      state: event.State__c,
      percent: event.Percent__c ?? 0,
      found: event.Found__c ?? 0,
      quoted: event.Quoted__c ?? 0,
      failed: event.Failed__c ?? 0,
      skipped: event.Skipped__c ?? 0,
      message: event.Message__c,
    };
    if (FINAL_STATES.has(event.State__c)) this.stopListening();
  }

  stopListening() {
    if (this.subscription) {
      unsubscribe(this.subscription, () => {});
      this.subscription = undefined;
    }
  }
}
