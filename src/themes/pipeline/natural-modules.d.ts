// natural's package entry loads every submodule, including its Redis/Postgres/MongoDB storage back-ends
// (which read .env and pull in database drivers). The pipeline must stay free of database code, so it
// imports the two files it needs by path; natural ships no types for either, so they are declared here.
// The Porter stemmer comes from its own file, not stemmers/index.js, which loads every language's
// stemmer (and the Indonesian dictionaries): about 75 ms of start-up the CLI does not need.
declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}
