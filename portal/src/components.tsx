/**
 * Building blocks shared by the pages: links that use the router, labelled form fields that show
 * their own problems, the error summary (GOV.UK pattern: focused, linking to each field), status
 * messages in a live region, headings that take focus after navigation, and data loading.
 */
import type {
  AnchorHTMLAttributes,
  ComponentChildren,
  ComponentType,
  FunctionComponent,
  HTMLInputTypeAttribute,
  InputHTMLAttributes,
  JSX,
  TargetedMouseEvent,
} from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  ApiError,
  describeProblem,
  type FieldProblem,
  fieldId,
  fieldSentence,
  type ProblemMessage,
  problemsFor,
} from './api/problem.ts';
import { usePortal } from './context.ts';
import { COUNTRY_CODES } from './countries.ts';
import { emailProblem, enterpriseNumberProblem, inszProblem, phoneProblem } from './format.ts';
import type { MessageKey, Translate } from './i18n/i18n.ts';
import { isInternalPath, pathFor } from './router.ts';

/** A link inside the portal: a real `<a href>` (keyboard, new tab) that navigates without reloading. */
export function Link(props: AnchorHTMLAttributes & { href: string }) {
  const { navigate } = usePortal();
  const { href, onClick, ...rest } = props;
  const handle = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (typeof onClick === 'function') onClick(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    if (!isInternalPath(href)) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}

/** The page's `<h1>`: sets the document title and takes focus after a navigation. */
export function PageHeading({ children, title }: { children: ComponentChildren; title: string }) {
  const { t } = usePortal();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – ${t('app.title')}`;
  }, [title, t]);
  return (
    <h1 id="page-heading" tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

/** A polite live region: its text is announced when it changes. */
export function StatusMessage({ message }: { message: string | undefined }) {
  return (
    <p class={message ? 'status-message' : 'status-message empty'} role="status" aria-live="polite">
      {message ?? ''}
    </p>
  );
}

/**
 * The problem of a failed call: a focused alert with the headline, the service's detail and a link
 * to each invalid field.
 */
export function ErrorSummary({
  problem,
  labels = {},
  scope,
}: {
  problem: ProblemMessage | undefined;
  labels?: Readonly<Record<string, string>>;
  /** The {@link Field} scope of the form, when several forms share field names on one page. */
  scope?: string;
}) {
  const { t } = usePortal();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem) ref.current?.focus();
  }, [problem]);
  if (!problem) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t('problem.summary')}</h2>
      <p>{problem.headline}</p>
      {problem.detail ? <p>{problem.detail}</p> : null}
      {problem.fields.length > 0 ? (
        <ul>
          {problem.fields.map((field) => (
            <li key={`${field.path}:${field.message}`}>
              {field.path ? (
                <a href={`#${fieldId(scope ? `${scope}.${field.path}` : field.path)}`}>
                  {labels[field.path] ?? labelOf(scope ? `${scope}.${field.path}` : field.path) ?? field.path}
                  : {field.message}
                </a>
              ) : (
                field.message
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The visible label of the form control for `path` (without "(optional)"), as the person reads it. */
function labelOf(path: string): string | undefined {
  const control = document.getElementById(fieldId(path));
  const label = control && 'labels' in control ? (control as HTMLInputElement).labels?.[0] : undefined;
  return label?.firstChild?.textContent?.trim() || undefined;
}

/**
 * Checks a form in the browser before anything is sent: required fields, e-mail and phone formats,
 * real dates, Belgian numbers (`data-check`) and Belgian postal codes. The same codes as the API's,
 * so the same sentences. @returns the problem to show, or `undefined` when the form may be sent
 */
export function checkForm(form: HTMLFormElement, t: Translate): ProblemMessage | undefined {
  const fields: FieldProblem[] = [];
  const valueNamed = (name: string): string =>
    (form.elements.namedItem(name) as HTMLInputElement | null)?.value?.trim() ?? '';
  for (const element of Array.from(form.elements)) {
    const control = element as HTMLInputElement;
    if (!control.name || control.disabled || control.type === 'hidden' || control.type === 'submit') continue;
    const value = control.type === 'file' ? '' : (control.value ?? '').trim();
    let code: string | undefined;
    if (control.type === 'date' && control.validity?.badInput) code = 'invalid-date';
    else if (
      control.required &&
      (control.type === 'file' ? (control.files?.length ?? 0) === 0 : value === '')
    )
      code = 'required';
    else if (value === '') continue;
    else if (control.dataset.check === 'insz') code = inszProblem(value);
    else if (control.dataset.check === 'enterprise') code = enterpriseNumberProblem(value);
    else if (control.type === 'email') code = emailProblem(value);
    else if (control.type === 'tel') code = phoneProblem(value);
    else if (control.name.endsWith('postalCode')) {
      const country = valueNamed(control.name.replace(/postalCode$/, 'country'));
      if (country === 'BE' && !/^\d{4}$/.test(value)) code = 'postal-code-be';
    }
    if (code) {
      const path = control.dataset.path ?? control.name;
      fields.push({ path, code, message: fieldSentence(t, code) ?? t('fieldCode.invalid') });
    }
  }
  return fields.length > 0 ? { headline: t('problem.checkFields'), fields } : undefined;
}

interface FieldProps {
  /** The API path of the value (`address.postalCode`): the input's name, and how problems find it. */
  name: string;
  /** Makes the id unique when several forms on a page have a field of this name. */
  scope?: string;
  label: string;
  hint?: string;
  problem?: ProblemMessage | undefined;
  optional?: boolean;
  type?: HTMLInputTypeAttribute;
  /** The initial value (the control stays uncontrolled: re-renders keep what the person typed). */
  defaultValue?: string | undefined;
  autocomplete?: string;
  inputMode?: 'numeric' | 'tel' | 'email' | 'text';
  pattern?: string;
  maxLength?: number;
  multiline?: boolean;
  children?: ComponentChildren;
  /** Options make it a `<select>`. */
  options?: readonly { value: string; label: string }[];
  onInput?: (value: string) => void;
  accept?: string;
  lang?: string;
  /** A browser-side check of a Belgian number before sending (see {@link checkForm}). */
  check?: 'insz' | 'enterprise';
}

/** A labelled control with its hint and its problems (`aria-describedby`, `aria-invalid`). */
export function Field(props: FieldProps) {
  const { t } = usePortal();
  const id = fieldId(props.scope ? `${props.scope}.${props.name}` : props.name);
  const problems = problemsFor(props.problem, props.name);
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = problems.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: props.name,
    required: !props.optional,
    'data-check': props.check,
    'aria-invalid': problems.length > 0 ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
    onInput: props.onInput
      ? (event: Event) => props.onInput?.((event.currentTarget as HTMLInputElement).value)
      : undefined,
  };
  let control: JSX.Element;
  if (props.options) {
    control = (
      <select {...common}>
        {props.options.map((option) => (
          <option
            key={option.value}
            value={option.value}
            selected={option.value === (props.defaultValue ?? '')}
          >
            {option.label}
          </option>
        ))}
      </select>
    );
  } else if (props.multiline) {
    control = <textarea {...common} rows={3} maxLength={props.maxLength} defaultValue={props.defaultValue} />;
  } else {
    // Preact types `<input>` as a union keyed by `type`: one props object, typed once, fits all.
    const inputProps = {
      ...common,
      type: props.type ?? 'text',
      defaultValue: props.defaultValue,
      autoComplete: props.autocomplete,
      inputMode: props.inputMode,
      pattern: props.pattern,
      maxLength: props.maxLength,
      accept: props.accept,
      lang: props.lang,
    } as InputHTMLAttributes<HTMLInputElement>;
    control = <input {...inputProps} />;
  }
  return (
    <div class={problems.length > 0 ? 'field invalid' : 'field'}>
      <label for={id}>
        {props.label}
        {props.optional ? <span class="optional"> ({t('common.optional')})</span> : null}
      </label>
      {props.hint ? (
        <span class="hint" id={hintId}>
          {props.hint}
        </span>
      ) : null}
      {errorId ? (
        <span class="field-error" id={errorId}>
          {problems.map((problem) => problem.message).join(' ')}
        </span>
      ) : null}
      {control}
    </div>
  );
}

/** Country choices named in the reader's language (Intl.DisplayNames), sorted by name. */
export function useCountryOptions(): { value: string; label: string }[] {
  const { language, t } = usePortal();
  return useMemo(() => {
    const names = new Intl.DisplayNames([language], { type: 'region' });
    const options = COUNTRY_CODES.map((code) => ({ value: code, label: names.of(code) ?? code }));
    options.sort((a, b) => a.label.localeCompare(b.label, language));
    return [{ value: '', label: t('field.chooseCountry') }, ...options];
  }, [language, t]);
}

/**
 * The `decision` radio buttons of a decision form, in a fieldset named by `legend`. Only the first
 * carries `required` (the browser then requires a choice in the group); ids are `${prefix}-${value}`.
 */
export function DecisionChoices({
  prefix,
  legend,
  choices,
}: {
  prefix: string;
  legend: string;
  choices: readonly { value: string; label: string }[];
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div class="radios">
        {choices.map((choice, index) => (
          <div class="radio" key={choice.value}>
            <input
              type="radio"
              id={`${prefix}-${choice.value}`}
              name="decision"
              value={choice.value}
              required={index === 0}
            />
            <label for={`${prefix}-${choice.value}`}>{choice.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** The five address fields under `prefix` (`address` → `address.street`...). */
export function AddressFields({
  prefix,
  legend,
  problem,
  value,
}: {
  prefix: string;
  legend: string;
  problem: ProblemMessage | undefined;
  value?: Partial<Record<'street' | 'houseNumber' | 'postalCode' | 'city' | 'country', string>>;
}) {
  const { t } = usePortal();
  const countries = useCountryOptions();
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div class="row">
        <Field
          name={`${prefix}.street`}
          label={t('field.street')}
          problem={problem}
          autocomplete="address-line1"
          defaultValue={value?.street}
        />
        <Field
          name={`${prefix}.houseNumber`}
          label={t('field.houseNumber')}
          problem={problem}
          maxLength={20}
          defaultValue={value?.houseNumber}
        />
      </div>
      <div class="row">
        <Field
          name={`${prefix}.postalCode`}
          label={t('field.postalCode')}
          problem={problem}
          autocomplete="postal-code"
          maxLength={12}
          defaultValue={value?.postalCode}
        />
        <Field
          name={`${prefix}.city`}
          label={t('field.city')}
          problem={problem}
          autocomplete="address-level2"
          defaultValue={value?.city}
        />
      </div>
      <Field
        name={`${prefix}.country`}
        label={t('field.country')}
        problem={problem}
        options={countries}
        defaultValue={value?.country}
      />
    </fieldset>
  );
}

/**
 * The values of a form as a nested object: `address.city` becomes `{ address: { city } }`; empty
 * optional values are left out so the API sees them as absent.
 */
export function formValues(form: HTMLFormElement): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, raw] of new FormData(form).entries()) {
    if (typeof raw !== 'string') continue;
    const value = raw.trim();
    if (value === '') continue;
    const parts = name.split('.');
    let target = result;
    for (const part of parts.slice(0, -1)) {
      target[part] ??= {};
      target = target[part] as Record<string, unknown>;
    }
    target[parts[parts.length - 1] ?? name] = value;
  }
  return result;
}

/** State of a form that calls the API: busy flag, problem and a submit wrapper. */
export function useSubmit<T>(action: (form: HTMLFormElement) => Promise<T>, onDone?: (result: T) => void) {
  const { t } = usePortal();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemMessage | undefined>(undefined);
  const onSubmit = useCallback(
    async (event: Event) => {
      event.preventDefault();
      if (busy) return;
      // Nothing is sent while the browser can already tell what is missing or malformed.
      const local = checkForm(event.currentTarget as HTMLFormElement, t);
      if (local) {
        setProblem(local);
        return;
      }
      setBusy(true);
      setProblem(undefined);
      try {
        const result = await action(event.currentTarget as HTMLFormElement);
        onDone?.(result);
      } catch (error) {
        setProblem(describeProblem(error, t));
      } finally {
        setBusy(false);
      }
    },
    [action, onDone, busy, t],
  );
  return { busy, problem, setProblem, onSubmit };
}

/** Loads data for a page; `reload` fetches again. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const { t } = usePortal();
  const [state, setState] = useState<{
    data?: T;
    problem?: ProblemMessage;
    loading: boolean;
    error?: unknown;
  }>({
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ problem: describeProblem(error, t), loading: false, error }),
    );
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  return { ...state, reload: () => setGeneration((value) => value + 1) };
}

/** Whether an error is the API's "not found" (used to show a page-level message). */
export const isNotFound = (error: unknown): boolean => error instanceof ApiError && error.status === 404;

/**
 * A table in a frame that scrolls sideways on narrow screens: a column header (`scope="col"`) for
 * each of `columns`, and `children` as its rows.
 */
export function Table({
  columns,
  children,
  class: className,
  testId,
}: {
  columns: readonly string[];
  children: ComponentChildren;
  class?: string | undefined;
  testId?: string | undefined;
}) {
  return (
    <div class="table-wrap">
      <table class={className} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** Loading text in a live region. */
export function Loading() {
  const { t } = usePortal();
  return (
    <p class="loading" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

/**
 * The login buttons (itsme, eIDAS, the EU Digital Identity Wallet where the stage offers it, and
 * "username and code" when the native login is configured),
 * with an explanation above each.
 */
export function LoginButtons({ returnTo, reason }: { returnTo?: string; reason?: MessageKey }) {
  const { session, t, language, config } = usePortal();
  const target = returnTo ?? `${window.location.pathname}${window.location.search}`;
  const start = (identityProvider: string) => () =>
    void session.login({ returnTo: target, identityProvider, lang: language });
  return (
    <div class="login">
      {reason ? <p>{t(reason)}</p> : null}
      <p>{t('welcome.belgians')}</p>
      <p>
        <button type="button" class="button primary" onClick={start('itsme')}>
          {t('auth.loginItsme')}
        </button>
      </p>
      <p>{t('welcome.foreign')}</p>
      <p>
        <button type="button" class="button" onClick={start('eIDAS')}>
          {t('auth.loginEidas')}
        </button>
      </p>
      {config.identityProviders?.includes('EUDIWallet') ? (
        <>
          <p>{t('welcome.wallet')}</p>
          <p>
            <button type="button" class="button" onClick={start('EUDIWallet')}>
              {t('auth.loginWallet')}
            </button>
          </p>
        </>
      ) : null}
      {config.cognitoIdpEndpoint && config.userPoolId ? (
        <>
          <p>{t('welcome.native')}</p>
          <p>
            <Link href={pathFor('nativeLogin', {}, { returnTo: target })} class="button">
              {t('auth.loginNative')}
            </Link>
          </p>
        </>
      ) : null}
    </div>
  );
}

/** Renders `children` only when signed in; otherwise the login buttons. */
export function RequireLogin({ children }: { children: ComponentChildren }) {
  const { session, t } = usePortal();
  if (!session.signedIn) {
    return (
      <section aria-labelledby="page-heading">
        <PageHeading title={t('auth.required')}>{t('auth.required')}</PageHeading>
        <LoginButtons />
      </section>
    );
  }
  return <>{children}</>;
}

/**
 * The page of a component that is only for a signed-in person: `Content` inside
 * {@link RequireLogin}, given the page's props (the route's `orgCode` or `registrationId`).
 */
export function withLogin<P extends object>(Content: ComponentType<P>): FunctionComponent<P> {
  const Page = (props: P) => (
    <RequireLogin>
      <Content {...props} />
    </RequireLogin>
  );
  Page.displayName = `withLogin(${Content.displayName ?? Content.name})`;
  return Page;
}

/** A date or timestamp in the reader's language. */
export function useFormatDate(): (value: string | null | undefined) => string {
  const { language, t } = usePortal();
  return useCallback(
    (value) => {
      if (!value) return t('common.unlimited');
      const date = new Date(value.length === 10 ? `${value}T00:00:00` : value);
      if (Number.isNaN(date.getTime())) return value;
      return value.length === 10
        ? new Intl.DateTimeFormat(language, { dateStyle: 'long' }).format(date)
        : new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
    },
    [language, t],
  );
}

/**
 * The end of a validity as a day: the API stores an exclusive end (`2027-12-31` is kept as
 * `2028-01-01T00:00:00Z`, "through the 31st"), so the last valid instant names the day.
 */
export function useFormatValidUntil(): (value: string | null | undefined) => string {
  const { language, t } = usePortal();
  return useCallback(
    (value) => {
      if (!value) return t('common.unlimited');
      const end = Date.parse(value);
      if (Number.isNaN(end)) return value;
      return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(
        new Date(end - 1),
      );
    },
    [language, t],
  );
}
