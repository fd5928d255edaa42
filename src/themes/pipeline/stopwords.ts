// Words that say nothing about why a deal was lost: natural's general English list, the leftovers of
// our normalisation (contractions, filler), and a short domain list of words every answer uses
// ("deal", "vendor", "product", "we", "they"...), which would otherwise glue unrelated themes together.
import { words as naturalStopwords } from 'natural/lib/natural/util/stopwords.js';

const general = [
  'not', 'no', 'nor', 'nothing', 'none', 'any', 'anything', 'just', 'really', 'actually', 'basically',
  'honestly', 'frankly', 'simply', 'quite', 'pretty', 'rather', 'bit', 'lot', 'lots', 'thing', 'things',
  'stuff', 'also', 'though', 'although', 'however', 'overall', 'etc', 'ok', 'okay', 'yes', 'yeah', 'us',
  'one', 'ones', 'even', 'ever', 'every', 'everything', 'something', 'someone', 'anyone', 'lol', 'na',
  'think', 'thought', 'felt', 'feel', 'feels', 'seem', 'seemed', 'seems', 'guess', 'say', 'says',
  'want', 'wanted', 'need', 'needed', 'needs', 'going', 'go', 'went', 'gone', 'get', 'gets', 'getting',
  'got', 'gotten', 'let', 'know', 'knew', 'end', 'ended', 'main', 'mainly', 'mostly', 'reason',
  'reasons', 'whole', 'part', 'kind', 'sort', 'maybe', 'perhaps', 'probably', 'sure', 'able', 'will',
  'shall', 'may', 'us', 'via', 'per', 'yet', 'already', 'again', 'back', 'around', 'away', 'ago',
  'im', 'ive', 'id', 'dont', 'didnt', 'doesnt', 'wasnt', 'werent', 'isnt', 'arent', 'couldnt',
  'wouldnt', 'wont', 'cant', 'hadnt', 'hasnt', 'havent', 'thats', 'theres', 'theyre', 'youre', 'weve',
  'whats', 'its', 'll', 've', 're', 'don', 'didn', 'doesn', 'wasn', 'isn', 'aren', 'couldn', 'wouldn',
  'won', 'can', 'cannot', 'hadn', 'hasn', 'haven', 'mr', 'ms', 'mrs', 'made', 'makes', 'making',
  'put', 'given', 'give', 'gave', 'come', 'came', 'done', 'good', 'great', 'nice', 'fine', 'bad',
  'better', 'best', 'first', 'second', 'last', 'new', 'old', 'big', 'small', 'little', 'today',
  'ultimately', 'definitely', 'certainly', 'especially',
  // discourse markers and politeness: how an answer is framed, not what it says
  'honest', 'frank', 'primarily', 'mainly', 'simple', 'short', 'bottom', 'line', 'biggest', 'issue',
  'issues', 'problem', 'problems', 'thanks', 'thank', 'asking', 'hope', 'helps', 'luck', 'sorry',
  'appreciate', 'cheers', 'regards', 'anyway', 'otherwise', 'down', 'came', 'comes', 'main',
  // sign-offs ("happy to talk again later", "keep in touch"): answers sharing one are not a theme
  'happy', 'talk', 'later', 'keep', 'touch',
];

// Words every loss answer can contain whatever the reason: they describe the situation, not the cause.
const domain = [
  'deal', 'deals', 'vendor', 'vendors', 'company', 'companies', 'product', 'products', 'solution',
  'solutions', 'platform', 'tool', 'tools', 'software', 'offering', 'we', 'they', 'them',
  'our', 'ours', 'your', 'you', 'their', 'lost', 'lose', 'win', 'won', 'chose', 'choose', 'chosen',
  'decide', 'decided', 'pick', 'picked', 'selected', 'select', 'option', 'options',
  'evaluation', 'evaluated', 'evaluate', 'process', 'side', 'stage', 'buy', 'bought', 'purchase',
  'guys', 'folks', 'people', 'liked', 'like', 'love', 'loved', 'overall',
];

export const stopwords: ReadonlySet<string> = new Set([...naturalStopwords, ...general, ...domain]);

/**
 * Stop words allowed in the middle of a label phrase, so labels read "price too high" or "lack of
 * support" rather than "price high"; they never become features of their own.
 */
export const glueWords: ReadonlySet<string> = new Set(['too', 'of', 'to', 'with', 'for', 'no', 'not', 'on', 'in', 'and']);

/**
 * Words that stay features (leaving them out of the vectors cost quality: 0.02-0.04 NMI on the labelled
 * set and the synthetic runs) but never name a theme, alone or at either end of a phrase: function words
 * natural's list lacks (scikit-learn's list has them) and numbers in words, which say no more than the
 * digits the tokeniser drops. Terms such as "almost", "else" or "three" said nothing.
 */
export const weakWords: ReadonlySet<string> = new Set([
  'across', 'afterwards', 'almost', 'alone', 'along', 'always', 'among', 'amongst', 'anyhow', 'anywhere',
  'became', 'become', 'becomes', 'becoming', 'beforehand', 'behind', 'beside', 'besides', 'beyond',
  'either', 'else', 'elsewhere', 'everyone', 'everywhere', 'except', 'hence', 'hers', 'herself', 'indeed',
  'latter', 'meanwhile', 'mine', 'moreover', 'namely', 'neither', 'nevertheless', 'nobody', 'nowhere',
  'often', 'once', 'onto', 'others', 'somehow', 'sometime', 'sometimes', 'somewhere', 'therefore',
  'throughout', 'thru', 'thus', 'toward', 'towards', 'upon', 'whatever', 'whenever', 'whereas',
  'wherever', 'whether', 'whoever', 'whose', 'within', 'without', 'yourselves', 'versus', 'vs', 'found',
  'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'fifteen',
  'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'hundred', 'thousand',
]);
