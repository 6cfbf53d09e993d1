/**
 * Register a foreign company: the extract goes straight to S3 with the presigned PUT of
 * `POST /uploads` (the API never sees the file), then `POST /organisations/foreign-registrations`.
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../api/problem.ts';
import {
  AddressFields,
  ErrorSummary,
  Field,
  formValues,
  PageHeading,
  RequireLogin,
  StatusMessage,
  useCountryOptions,
  useSubmit,
} from '../components.tsx';
import { usePortal } from '../context.ts';
import type { MessageKey } from '../i18n/i18n.ts';

/** The API's limit for an extract (POST /uploads). */
const MAX_EXTRACT_MB = 10;

interface Upload {
  uploadId: string;
  method?: string;
  url: string;
  headers?: Record<string, string>;
}

/** A local check failed before anything was sent: shown like a 400 on the file field. */
function fileProblem(message: string): ApiError {
  return new ApiError(400, {
    type: 'urn:eid-access:problem:validation',
    title: 'Invalid input',
    status: 400,
    errors: [{ path: 'extract', message }],
  });
}

export function ForeignCompanyPage() {
  return (
    <RequireLogin>
      <ForeignCompany />
    </RequireLogin>
  );
}

function ForeignCompany() {
  const { t, api, language } = usePortal();
  const countries = useCountryOptions().filter((option) => option.value !== 'BE');
  const [progress, setProgress] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<{ registrationId: string; status: string } | undefined>(undefined);
  const { busy, problem, onSubmit } = useSubmit(
    async (form) => {
      const file = (form.elements.namedItem('extract') as HTMLInputElement | null)?.files?.[0];
      if (!file) throw fileProblem(t('foreign.missingFile'));
      if (file.type !== 'application/pdf' && !file.name.toLowerCase().endsWith('.pdf')) {
        throw fileProblem(t('foreign.pdfOnly'));
      }
      if (file.size > MAX_EXTRACT_MB * 1024 * 1024)
        throw fileProblem(t('foreign.tooLarge', { size: MAX_EXTRACT_MB }));
      setProgress(t('foreign.uploading'));
      const upload = await api.post<Upload>('/uploads', { contentType: 'application/pdf', size: file.size });
      const put = await fetch(upload.url, {
        method: upload.method ?? 'PUT',
        headers: upload.headers ?? { 'content-type': 'application/pdf' },
        body: file,
      }).catch((cause: unknown) => {
        throw new ApiError(0, undefined, { cause });
      });
      if (!put.ok) throw new ApiError(put.status, undefined);
      const { extract: _file, ...values } = formValues(form);
      return api.post<{ registrationId: string; status: string }>('/organisations/foreign-registrations', {
        ...values,
        uploadId: upload.uploadId,
        locale: language,
      });
    },
    (result) => {
      setProgress(undefined);
      setDone(result);
    },
  );
  const labels = {
    name: t('foreign.name'),
    country: t('foreign.country'),
    registrationNumber: t('foreign.registrationNumber'),
    'address.street': t('field.street'),
    'address.houseNumber': t('field.houseNumber'),
    'address.postalCode': t('field.postalCode'),
    'address.city': t('field.city'),
    'address.country': t('field.country'),
    extract: t('foreign.extract'),
    uploadId: t('foreign.extract'),
    email: t('field.email'),
  };
  const statusText = done ? t(`foreign.status.${done.status}` as MessageKey) : '';
  return (
    <section aria-labelledby="page-heading">
      <PageHeading title={t('foreign.heading')}>{t('foreign.heading')}</PageHeading>
      <p>{t('foreign.intro')}</p>
      <StatusMessage
        message={
          done
            ? t('foreign.done', { id: done.registrationId, status: statusText })
            : busy
              ? progress
              : undefined
        }
      />
      {done ? null : (
        <form onSubmit={onSubmit} noValidate>
          <ErrorSummary problem={problem} labels={labels} />
          <Field
            name="name"
            label={labels.name}
            problem={problem}
            autocomplete="organization"
            maxLength={200}
          />
          <Field name="country" label={labels.country} problem={problem} options={countries} />
          <Field
            name="registrationNumber"
            label={labels.registrationNumber}
            problem={problem}
            maxLength={60}
          />
          <AddressFields prefix="address" legend={t('foreign.address')} problem={problem} />
          <Field
            name="email"
            label={labels.email}
            type="email"
            optional
            problem={problem}
            autocomplete="email"
          />
          <Field
            name="extract"
            label={labels.extract}
            hint={t('foreign.extractHint', { size: MAX_EXTRACT_MB })}
            type="file"
            accept="application/pdf,.pdf"
            problem={problem}
          />
          <button type="submit" class="button primary" disabled={busy}>
            {t('foreign.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
