/**
 * Plain encyclopedic prose about chemical elements, written for this project. Part of the generic corpus the base
 * model is pretrained on; nothing here is keyed to a prompt the tests use.
 */
export const ELEMENTS: readonly { topic: string; text: string }[] = [
  {
    topic: "Hydrogen",
    text: "Hydrogen is the lightest chemical element and the first in the periodic table. It is a colourless gas made of single protons and electrons. Most of the ordinary matter in the universe is hydrogen. Stars shine by fusing hydrogen into helium in their cores. On Earth it is found mostly in water and in living things.",
  },
  {
    topic: "Helium",
    text: "Helium is a noble gas and the second element in the periodic table. It has no colour, no smell and almost never reacts with other elements. Helium is lighter than air, so it is used to fill balloons and airships. It becomes a liquid only at very low temperatures and is used to cool strong magnets.",
  },
  {
    topic: "Lithium",
    text: "Lithium is a soft alkali metal and the lightest of all metals. It reacts with water and must be stored in oil. Lithium is used in rechargeable batteries for phones, laptops and electric cars. Some medicines also contain small amounts of lithium salts.",
  },
  {
    topic: "Carbon",
    text: "Carbon is a chemical element that forms the basis of all known life. Its atoms can bond with each other in long chains and rings. Diamond and graphite are both pure carbon, yet they look and behave very differently. Carbon dioxide in the air is taken up by plants during photosynthesis.",
  },
  {
    topic: "Nitrogen",
    text: "Nitrogen is a colourless gas that makes up most of the air we breathe. It is an essential part of proteins and of the genetic material of every cell. Farmers add nitrogen to the soil as fertiliser to help crops grow. Liquid nitrogen is very cold and is used to freeze food and samples.",
  },
  {
    topic: "Oxygen",
    text: "Oxygen is a reactive gas that makes up about a fifth of the air. Animals need oxygen to release energy from their food. Plants release oxygen into the air when they make sugar from sunlight. Oxygen is also needed for fire, and it is the most common element in the crust of the Earth.",
  },
  {
    topic: "Neon",
    text: "Neon is a noble gas found in small amounts in the air. When an electric current passes through it, neon glows with a bright red light. For this reason it is used in advertising signs. Like the other noble gases, neon hardly ever forms compounds.",
  },
  {
    topic: "Sodium",
    text: "Sodium is a soft and silvery alkali metal. It reacts strongly with water and with the oxygen in the air. Table salt is a compound of sodium and chlorine. The human body needs sodium to carry signals along nerves and to keep the right balance of water.",
  },
  {
    topic: "Magnesium",
    text: "Magnesium is a light metal that burns with a brilliant white flame. It is used in alloys for aircraft, bicycles and car parts because it is strong and light. Every molecule of chlorophyll contains a magnesium atom at its centre. Magnesium is also an important mineral in the human diet.",
  },
  {
    topic: "Aluminium",
    text: "Aluminium is a light metal that does not rust easily. It is the most common metal in the crust of the Earth, but it is always found in minerals. Aluminium is used to make cans, foil, window frames and aircraft. It can be recycled many times while using far less energy than making new metal.",
  },
  {
    topic: "Silicon",
    text: "Silicon is a grey element with properties between those of metals and nonmetals. Sand and quartz are made largely of silicon and oxygen. Pure silicon is a semiconductor, and it is used to make computer chips and solar cells. Glass is also made from silicon compounds.",
  },
  {
    topic: "Phosphorus",
    text: "Phosphorus is a reactive nonmetal that is never found free in nature. It is part of the bones and teeth of animals and of the energy molecules in every cell. Phosphorus compounds are used in fertilisers and in the heads of matches. White phosphorus glows faintly in the dark.",
  },
  {
    topic: "Sulfur",
    text: "Sulfur is a yellow nonmetal that is often found near volcanoes and hot springs. When it burns it gives off a gas with a sharp smell. Sulfur is used to make sulfuric acid, one of the most important industrial chemicals. It is also found in some proteins in the body.",
  },
  {
    topic: "Chlorine",
    text: "Chlorine is a greenish yellow gas with a strong smell. It is very reactive and poisonous in large amounts. Small amounts of chlorine are used to kill germs in drinking water and swimming pools. Chlorine combines with sodium to form common salt.",
  },
  {
    topic: "Potassium",
    text: "Potassium is a soft alkali metal that reacts violently with water. Plants need potassium to grow, so it is an important part of fertilisers. Bananas and potatoes are good sources of potassium in food. In the body it helps muscles and the heart to work properly.",
  },
  {
    topic: "Calcium",
    text: "Calcium is an alkaline earth metal that is common in rocks such as limestone and marble. Bones and teeth are hard because they contain calcium compounds. Milk and cheese are good sources of calcium. Calcium is also used to make cement and plaster.",
  },
  {
    topic: "Strontium",
    text: "Strontium is a soft alkaline earth metal that is similar to calcium. It reacts with water and air, so it is kept away from both. Strontium salts give fireworks and flares a bright red colour. The element takes its name from a village in Scotland where its ore was first found.",
  },
  {
    topic: "Barium",
    text: "Barium is a heavy alkaline earth metal. Its compounds give fireworks a green colour. Doctors use a drink of barium sulfate to make the stomach and bowel visible on X rays. Barium is also used in drilling fluids for oil wells.",
  },
  {
    topic: "Titanium",
    text: "Titanium is a strong and light metal that resists corrosion. It is used in aircraft, ships, spacecraft and artificial joints. Titanium dioxide is a bright white powder used in paint, paper and sunscreen. The metal was named after the Titans of Greek myth.",
  },
  {
    topic: "Iron",
    text: "Iron is a metal that has been used by people for thousands of years. It is the main ingredient of steel, which is used in buildings, bridges, cars and tools. Iron rusts when it is exposed to water and air. The core of the Earth is thought to be made mostly of iron and nickel. Red blood cells use iron to carry oxygen.",
  },
  {
    topic: "Cobalt",
    text: "Cobalt is a hard metal with a silvery blue colour. Its compounds have been used for centuries to give glass and pottery a deep blue colour. Cobalt is used in magnets, in strong alloys and in many rechargeable batteries. Vitamin B12 contains a cobalt atom.",
  },
  {
    topic: "Nickel",
    text: "Nickel is a hard silvery metal that resists corrosion. It is used to make stainless steel and to plate other metals. Many coins contain nickel. Like iron and cobalt, nickel can be made into a magnet.",
  },
  {
    topic: "Copper",
    text: "Copper is a reddish metal that conducts heat and electricity very well. It is used in electrical wires, pipes and cooking pots. Bronze is an alloy of copper and tin, and brass is an alloy of copper and zinc. Old copper roofs turn green as the metal reacts with the air.",
  },
  {
    topic: "Zinc",
    text: "Zinc is a bluish grey metal. It is used to coat iron and steel so that they do not rust, a process called galvanising. Zinc is an essential trace element for people, plants and animals. It is also used in batteries and in brass.",
  },
  {
    topic: "Gallium",
    text: "Gallium is a soft silvery metal that melts at a temperature just above that of a warm room. It can melt in the palm of a hand. Gallium is used in semiconductors, light emitting diodes and solar panels. It was predicted by Mendeleev before it was discovered.",
  },
  {
    topic: "Silver",
    text: "Silver is a shiny precious metal that conducts electricity better than any other element. It has been used for coins, jewellery and tableware since ancient times. Silver compounds were once essential for photography. Silver also has the ability to kill some bacteria.",
  },
  {
    topic: "Tin",
    text: "Tin is a soft silvery metal that does not corrode easily. It is used to coat steel cans and to make solder for joining electronic parts. Mixed with copper, tin forms bronze, which gave its name to the Bronze Age. Tin has been mined for thousands of years.",
  },
  {
    topic: "Gold",
    text: "Gold is a dense, soft and shiny yellow metal. It does not rust or tarnish, so it keeps its shine for centuries. Gold has been used for jewellery and money for thousands of years. It is also used in electronics because it conducts electricity well and does not corrode.",
  },
  {
    topic: "Mercury",
    text: "Mercury is the only metal that is liquid at room temperature. It is dense and silvery and flows easily. Mercury was once used in thermometers and barometers. It is poisonous, so its use has been greatly reduced.",
  },
  {
    topic: "Lead",
    text: "Lead is a heavy, soft and grey metal. It was used for water pipes, paint and fuel for a long time. Lead is poisonous, especially to children, so most of these uses have stopped. Today it is mainly used in car batteries and to shield against radiation.",
  },
  {
    topic: "Uranium",
    text: "Uranium is a heavy radioactive metal. Its atoms can be split to release large amounts of energy. Nuclear power stations use uranium as fuel to make electricity. Uranium is found in small amounts in rocks, soil and water.",
  },
  {
    topic: "Boron",
    text: "Boron is a hard element that is found in minerals such as borax. It is used to make heat resistant glass for kitchens and laboratories. Boron fibres are light and strong and are used in sports equipment. Plants need small amounts of boron to grow.",
  },
  {
    topic: "Argon",
    text: "Argon is a noble gas that makes up about one percent of the air. It does not react with other substances, so it is used to protect metals during welding. Light bulbs are often filled with argon. Its name comes from a Greek word meaning lazy.",
  },
  {
    topic: "Fluorine",
    text: "Fluorine is a pale yellow gas and the most reactive of all the elements. It is a halogen, in the same column as chlorine. Small amounts of fluoride are added to toothpaste and sometimes to drinking water to protect teeth. Fluorine compounds are also used to make non-stick coatings for pans.",
  },
  {
    topic: "Iodine",
    text: "Iodine is a halogen that forms dark grey crystals and gives off a violet vapour when warmed. The body needs a little iodine to make the hormones of the thyroid gland. Salt often has iodine added to it for this reason. A solution of iodine is used to clean small wounds.",
  },
  {
    topic: "Krypton",
    text: "Krypton is a noble gas found in tiny amounts in the air. It has no colour or smell and very rarely reacts. Krypton is used in some bright lamps, such as those on airport runways. Its name comes from a Greek word meaning hidden.",
  },
  {
    topic: "Xenon",
    text: "Xenon is a heavy noble gas that is very rare in the air. It glows blue when electricity passes through it, and it is used in bright car headlights and camera flashes. Xenon can also be used as a general anaesthetic. Some spacecraft use xenon as the fuel of their ion engines.",
  },
  {
    topic: "Platinum",
    text: "Platinum is a dense, silvery white precious metal. It does not corrode and is not harmed by most acids. Platinum is used in jewellery and in the catalytic converters of cars, which clean exhaust gases. It is rarer than gold.",
  },
  {
    topic: "Tungsten",
    text: "Tungsten is a hard, heavy grey metal with the highest melting point of all metals. It was used for the glowing filaments of old light bulbs. Tungsten carbide is hard enough to make drill bits and cutting tools. Its chemical symbol W comes from its other name, wolfram.",
  },
  {
    topic: "The periodic table",
    text: "The periodic table arranges the chemical elements in order of their atomic number. Elements in the same column have similar properties. The table was first published in a useful form by Dmitri Mendeleev. He left gaps for elements that had not yet been discovered, and later discoveries filled them.",
  },
  {
    topic: "Chemical elements",
    text: "A chemical element is a substance made of only one kind of atom. More than one hundred elements are known. Most of them are metals, and only a few are gases at room temperature. Every element has a symbol of one or two letters, such as O for oxygen and Fe for iron.",
  },
  {
    topic: "Alkali metals",
    text: "The alkali metals form the first column of the periodic table. They include lithium, sodium and potassium. These metals are soft enough to cut with a knife and react quickly with water. They are always found in compounds in nature.",
  },
  {
    topic: "Alkaline earth metals",
    text: "The alkaline earth metals form the second column of the periodic table. They include magnesium, calcium, strontium and barium. They are shiny and fairly reactive, though less so than the alkali metals. Many of their compounds are found in rocks and minerals.",
  },
  {
    topic: "Noble gases",
    text: "The noble gases form the last column of the periodic table. They include helium, neon, argon, krypton and xenon. Their atoms have full outer shells of electrons, so they rarely react. Several of them glow in bright colours when electricity passes through them.",
  },
];
