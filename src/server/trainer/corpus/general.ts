/** Plain encyclopedic prose on general topics, written for this project (see ./index.ts). */
export const GENERAL: readonly { topic: string; text: string }[] = [
  {
    topic: "The Sun",
    text: "The Sun is the star at the centre of our solar system. It is a huge ball of hot gas, mostly hydrogen and helium. Light from the Sun takes about eight minutes to reach the Earth. Its energy drives the weather and makes life on Earth possible.",
  },
];
