import React, {type ReactNode} from 'react';
import Link from '@docusaurus/Link';
import Translate, {translate} from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import Layout from '@theme/Layout';
import Heading from '@theme/Heading';

type Module = {title: string; to: string; description: string};

function modules(): Module[] {
  return [
    {
      title: translate({id: 'home.module.intro', message: 'Introduction to Physical AI'}),
      to: '/docs/category/introduction',
      description: translate({id: 'home.module.intro.text', message: 'What changes when software has a body: embodied intelligence, the humanoid landscape, sensors.'}),
    },
    {
      title: translate({id: 'home.module.ros2', message: 'Module 1: ROS 2'}),
      to: '/docs/ros2/',
      description: translate({id: 'home.module.ros2.text', message: "The robot's nervous system: nodes, topics, services, launch files and URDF."}),
    },
    {
      title: translate({id: 'home.module.twin', message: 'Module 2: The Digital Twin'}),
      to: '/docs/digital-twin/',
      description: translate({id: 'home.module.twin.text', message: 'Physics, sensors and human-robot interaction in Gazebo and Unity.'}),
    },
    {
      title: translate({id: 'home.module.isaac', message: 'Module 3: NVIDIA Isaac'}),
      to: '/docs/isaac/',
      description: translate({id: 'home.module.isaac.text', message: 'Photorealistic simulation, Isaac ROS perception, sim-to-real and policy training.'}),
    },
    {
      title: translate({id: 'home.module.vla', message: 'Module 4: Vision-Language-Action'}),
      to: '/docs/vla/',
      description: translate({id: 'home.module.vla.text', message: 'From a spoken command to a plan and an action: the capstone humanoid.'}),
    },
  ];
}

export default function Home(): ReactNode {
  const {siteConfig} = useDocusaurusContext();
  return (
    <Layout title={siteConfig.title} description={siteConfig.tagline}>
      <header className="hero hero--primary hero--book">
        <div className="container">
          <Heading as="h1" className="hero__title">
            {siteConfig.title}
          </Heading>
          <p className="hero__subtitle">
            <Translate id="home.tagline">A 13-week course on AI that perceives, reasons about and acts in the physical world</Translate>
          </p>
          <div className="buttons">
            <Link className="button button--secondary button--lg" to="/docs/">
              <Translate id="home.start">Start reading</Translate>
            </Link>
            <Link className="button button--outline button--secondary button--lg" to="/docs/course/weekly-plan">
              <Translate id="home.plan">The weekly plan</Translate>
            </Link>
          </div>
          <p style={{marginTop: '1.5rem'}}>
            <Translate id="home.assistant">Questions while you read? Press "Ask the book" on any page, or select a passage and press "Ask about this".</Translate>
          </p>
        </div>
      </header>
      <main className="container modules">
        <div className="row">
          {modules().map((module) => (
            <div key={module.to} className="col col--4 margin-bottom--lg">
              <Heading as="h3">
                <Link to={module.to}>{module.title}</Link>
              </Heading>
              <p>{module.description}</p>
            </div>
          ))}
        </div>
      </main>
    </Layout>
  );
}
