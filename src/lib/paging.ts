// One page of a long list, as every list page and the API show it.
export const pageSize = 25;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pages: number;
}
