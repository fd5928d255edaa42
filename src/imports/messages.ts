// The CSV import's limits and the messages a person sees about a file, together in one place.
export const importLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 100_000,
  maxColumns: 500,
  maxCellChars: 100_000,
  /** Rows per stored chunk: what a worker reads, imports and records as done in one step. */
  rowsPerChunk: 1000,
  /** A chunk also closes early past this many characters, to stay far below MongoDB's 16 MB document limit. */
  charsPerChunk: 4_000_000,
  /** Row errors kept on an import run, and shown in a preview. */
  keptErrors: 500,
  previewErrors: 100,
  previewRows: 20,
  /** Uploads not started within this long are removed (their rows hold buyer contacts). */
  staleUploadHours: 48,
} as const;

export const messages = {
  noFile: 'Choose a CSV file to upload.',
  emptyFile: 'The file is empty. Choose a CSV file with a header row and one row per deal.',
  notCsv: 'This file is not a CSV file. If it is an Excel or Numbers workbook, save it as “CSV UTF-8” first and upload that.',
  tooLarge: `The file is larger than ${importLimits.maxBytes / 1024 / 1024} MB. Split it into smaller files and import them one after the other.`,
  tooManyRows: `The file has more than ${importLimits.maxRows.toLocaleString('en-US')} rows. Split it into files of at most ${importLimits.maxRows.toLocaleString('en-US')} rows and import them one after the other.`,
  tooManyColumns: 'The header row has more than 500 columns: is this the right file?',
  noHeader: 'The first row of the file should name the columns (such as Deal ID, Deal Name, Account Name), but it is empty.',
  noRows: 'The file has a header row but no rows of deals under it.',
  unreadable: 'The file could not be read as CSV',
  badUpload: 'Upload one CSV file, in the field named “file”.',
  notMappable: 'This import has already started, so its mapping cannot change.',
  notStartable: 'This import cannot be started now: check its mapping and preview first.',
  nothingValid: 'No row of this file can be imported: fix the errors in the file and upload it again.',
  stale: 'Not started within 48 hours: the uploaded rows were removed. Upload the file again to import it.',
  staleStopped:
    'Stopped and not resumed within 48 hours: the rows not yet imported were removed. Upload the file again to import them (rows already imported come out unchanged).',
  status: 'Use Open, Won or Lost (or your CRM’s Closed Won and Closed Lost). An empty cell leaves the deal as it is.',
  amount: 'Enter an amount as a number, such as 25000.',
  date: 'Enter the date as 2024-03-15 (or 15.03.2024, 3/15/2024).',
  lossType: 'Use Competitor, No decision or Other.',
  contactIncomplete: 'Give the contact’s name and email address, or leave both empty.',
  extraCells: 'This row has more cells than the header row has columns: check its quotes and delimiters.',
} as const;
