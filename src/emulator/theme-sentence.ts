/**
 * The planted theme (Workspace.plantTheme) in one of a few sentences, so that only the phrase, not
 * the words around it, is common to every themed conversation and ticket.
 */
const THEME_SENTENCES = [
  'Since yesterday the {phrase} keeps failing for us.',
  'We are seeing {phrase} errors across the whole company today.',
  'Is there a known problem with {phrase}? Several colleagues noticed it this week.',
];

export const themeSentence = (index: number, phrase: string) =>
  THEME_SENTENCES[index % THEME_SENTENCES.length]!.replace('{phrase}', phrase);
