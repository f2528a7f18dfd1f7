// Home page: what mmatlas is, and the models available to explore.
import { ModelList } from "../components/model-list";

export default function HomePage() {
  return (
    <>
      <section className="hero">
        <h1>Multimodal model atlas</h1>
        <p className="lede">
          Browse what the neurons, SAE features and attention heads of vision-language models respond to, and label them
          together.
        </p>
      </section>
      <section aria-labelledby="models-heading">
        <h2 id="models-heading">Models</h2>
        <ModelList />
      </section>
    </>
  );
}
