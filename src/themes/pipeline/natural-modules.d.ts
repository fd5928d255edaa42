// natural's package entry loads every submodule, including its Redis/Postgres/MongoDB storage back-ends
// (which read .env and pull in database drivers). The pipeline must stay free of database code, so it
// imports the two files it needs by path; this declares the one of them natural ships no types for.
declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}
