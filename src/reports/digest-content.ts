// What one weekly digest says, built by digest.ts and sent by email or posted to chat (chat.ts). Its own
// module so that chat.ts can read it without importing the digest that posts through it.
export interface DigestContent {
  title: string;
  subject: string;
  week: string;
  periodLabel: string;
  summary: string;
  newAnswers: number;
  totalAnswers: number;
  newLosses: number;
  /** Won deals beside lost ones, once the program interviews won deals; absent otherwise. */
  wins?: { newAnswers: number; totalAnswers: number; newWins: number };
  /** Set when won deals are counted too: the top themes are lost deals' only, so their heading says so. */
  themesTitle?: string;
  topThemes: { label: string; share: string; newThisWeek: number }[];
  quotes: { text: string; attribution: string }[];
  reportUrl: string;
}
