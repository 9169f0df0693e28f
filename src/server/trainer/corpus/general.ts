/** Plain encyclopedic prose on general topics, written for this project (see ./index.ts). */
export const GENERAL: readonly { topic: string; text: string }[] = [
  {
    topic: "The Sun",
    text: "The Sun is the star at the centre of our solar system. It is a huge ball of hot gas, mostly hydrogen and helium. Light from the Sun takes about eight minutes to reach the Earth. Its energy drives the weather and makes life on Earth possible.",
  },
  {
    topic: "The Moon",
    text: "The Moon is the only natural satellite of the Earth. It has no air and no liquid water on its surface. The Moon shines by reflecting light from the Sun. Its gravity pulls on the oceans and causes the tides.",
  },
  {
    topic: "The Earth",
    text: "The Earth is the third planet from the Sun and the only world known to support life. About seven tenths of its surface is covered by oceans. Its atmosphere is mostly nitrogen and oxygen. The Earth turns once a day and travels around the Sun once a year.",
  },
  {
    topic: "Mars",
    text: "Mars is the fourth planet from the Sun. It is often called the red planet because iron oxide gives its soil a rusty colour. Mars has the tallest volcano in the solar system. Robots have explored its surface for many years.",
  },
  {
    topic: "Jupiter",
    text: "Jupiter is the largest planet in the solar system. It is a giant ball of gas with no solid surface. A great storm larger than the Earth has raged on Jupiter for centuries. The planet has dozens of moons.",
  },
  {
    topic: "Water",
    text: "Water is a compound of hydrogen and oxygen. It is the only common substance found naturally as a solid, a liquid and a gas. All known living things need water to survive. Water covers most of the surface of the Earth.",
  },
  {
    topic: "The water cycle",
    text: "The water cycle is the continuous movement of water around the Earth. Heat from the Sun makes water evaporate from the oceans. The vapour cools and forms clouds, and then falls as rain or snow. Rivers carry the water back to the sea.",
  },
  {
    topic: "Photosynthesis",
    text: "Photosynthesis is the process by which green plants make their own food. Plants take in carbon dioxide from the air and water from the soil. Using the energy of sunlight, they turn these into sugar and release oxygen. Almost all life on Earth depends on this process.",
  },
  {
    topic: "Volcanoes",
    text: "A volcano is an opening in the crust of the Earth through which molten rock escapes. The molten rock is called magma underground and lava once it reaches the surface. Eruptions can build mountains and create new land. Volcanic soil is often very fertile.",
  },
  {
    topic: "Earthquakes",
    text: "An earthquake is a sudden shaking of the ground. It happens when large blocks of rock slip past each other along a fault. Most earthquakes occur near the edges of the plates that make up the crust. Scientists measure their strength with instruments called seismometers.",
  },
  {
    topic: "Oceans",
    text: "The oceans are the vast bodies of salt water that cover most of the Earth. The Pacific is the largest and deepest of them. Oceans store heat and help to control the climate. They are home to a great variety of plants and animals.",
  },
  {
    topic: "Rivers",
    text: "A river is a natural stream of fresh water that flows towards an ocean, a lake or another river. Rivers shape the land by carrying away soil and rock. Many early cities were built beside rivers. They provide water for drinking, farming and transport.",
  },
  {
    topic: "Forests",
    text: "A forest is a large area covered mainly by trees. Forests provide homes for many kinds of animals and plants. Trees take in carbon dioxide and store carbon in their wood. People use forests for timber, food and recreation.",
  },
  {
    topic: "Bees",
    text: "Bees are flying insects that feed on nectar and pollen from flowers. As they move from flower to flower, they carry pollen and help plants to make seeds. Honey bees live in large colonies ruled by a queen. They store honey in wax combs.",
  },
  {
    topic: "Whales",
    text: "Whales are large mammals that live in the sea. They breathe air through a blowhole on the top of their head. The blue whale is the largest animal that has ever lived. Many whales travel long distances between feeding and breeding grounds.",
  },
  {
    topic: "The human heart",
    text: "The heart is a muscle that pumps blood around the body. It beats about seventy times a minute when a person is at rest. Blood carries oxygen and food to the cells and takes waste away. The heart has four chambers.",
  },
  {
    topic: "Electricity",
    text: "Electricity is the flow of electric charge. It is carried through wires made of metals such as copper. Power stations produce electricity from coal, gas, wind, water, sunlight or nuclear fuel. It is used to power lights, machines and computers.",
  },
  {
    topic: "Gravity",
    text: "Gravity is the force that pulls objects towards each other. It keeps the planets in orbit around the Sun and the Moon in orbit around the Earth. On Earth, gravity gives objects their weight. Isaac Newton described gravity in a famous law.",
  },
  {
    topic: "Light",
    text: "Light is a form of energy that travels in waves. It moves faster than anything else in the universe. White light is a mixture of all the colours of the rainbow. A prism can split light into its colours.",
  },
  {
    topic: "Sound",
    text: "Sound is a vibration that travels through air, water or solids. It cannot travel through empty space. The speed of sound in air is much slower than the speed of light. The pitch of a sound depends on how fast the vibration is.",
  },
  {
    topic: "Atoms",
    text: "An atom is the smallest unit of a chemical element. It has a small heavy nucleus made of protons and neutrons. Electrons move around the nucleus. Atoms join together to form molecules.",
  },
  {
    topic: "The printing press",
    text: "The printing press is a machine that presses inked type onto paper. Johannes Gutenberg built a press with movable metal type in the fifteenth century. Printing made books cheaper and spread knowledge quickly. It changed education, science and religion.",
  },
  {
    topic: "The Roman Empire",
    text: "The Roman Empire was one of the largest empires of the ancient world. It grew from the city of Rome in Italy. The Romans built roads, bridges and aqueducts, many of which still stand. Latin, their language, is the ancestor of several modern languages.",
  },
  {
    topic: "Libraries",
    text: "A library is a collection of books and other materials that people can read or borrow. Public libraries are open to everyone. Many libraries also offer computers and quiet places to study. Librarians help people find the information they need.",
  },
  {
    topic: "Bread",
    text: "Bread is a food made from flour and water, usually with yeast and salt. The yeast produces gas that makes the dough rise. Bread is baked in an oven. People have made bread for thousands of years.",
  },
  {
    topic: "Coffee",
    text: "Coffee is a drink made from the roasted seeds of the coffee plant. The plant grows in warm countries near the equator. Coffee contains caffeine, which helps people feel awake. It is one of the most popular drinks in the world.",
  },
  {
    topic: "Trains",
    text: "A train is a line of connected vehicles that runs on rails. Early trains were pulled by steam engines. Modern trains are powered by diesel engines or electricity. Trains carry large numbers of people and heavy goods over long distances.",
  },
  {
    topic: "Music",
    text: "Music is the art of arranging sounds in time. It is made with voices and with instruments such as drums, strings and pipes. Every culture in the world has its own music. People use music to celebrate, to mourn and to dance.",
  },
  {
    topic: "Mathematics",
    text: "Mathematics is the study of numbers, shapes and patterns. It includes arithmetic, algebra and geometry. Scientists and engineers use mathematics to describe the world and to solve problems. Many of its ideas are thousands of years old.",
  },
  {
    topic: "Computers",
    text: "A computer is a machine that follows instructions to process information. Its programs are written by people in programming languages. The main parts of a computer are made from silicon chips. Computers are used in homes, schools, offices and factories.",
  },
];
